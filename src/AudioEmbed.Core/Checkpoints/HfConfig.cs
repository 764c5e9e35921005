using System.Text.Json;

namespace AudioEmbed.Core.Checkpoints;

/// <summary>
/// A HuggingFace JSON config (config.json, preprocessor_config.json) with typed getters: a missing
/// key or a value of the wrong type is a <see cref="CheckpointException"/> naming the file and key,
/// so a converter never runs on a silently defaulted hyper-parameter.
/// </summary>
public sealed class HfConfig
{
    private const long MaxBytes = 16L * 1024 * 1024;
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly JsonElement _root;

    private HfConfig(string path, JsonElement root)
    {
        FilePath = path;
        _root = root;
    }

    public string FilePath { get; }

    public static HfConfig Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "the file does not exist");
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes) throw new CheckpointException(path, $"{info.Length} bytes is too large for a config file");
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex) { throw new CheckpointException(path, "cannot read the file: " + ex.Message, inner: ex); }
        // The JSON reader checks the encoding of a string only when it is read, long after parsing: check it now.
        try { StrictUtf8.GetCharCount(bytes); }
        catch (System.Text.DecoderFallbackException ex) { throw new CheckpointException(path, "not valid UTF-8 text: " + ex.Message, inner: ex); }
        try
        {
            // HF writes plain JSON; tolerate trailing commas/comments some hand-edited files carry.
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, "the config is not a JSON object");
            return new HfConfig(path, doc.RootElement.Clone());
        }
        catch (JsonException ex) { throw new CheckpointException(path, "not valid JSON: " + ex.Message, inner: ex); }
        catch (InvalidOperationException ex) { throw new CheckpointException(path, "not valid JSON: " + ex.Message, inner: ex); }
    }

    public bool Has(string key) => _root.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public IEnumerable<string> Keys => _root.EnumerateObject().Select(p => p.Name);

    public int GetInt(string key) =>
        Get(key, JsonValueKind.Number, "an integer").TryGetInt32(out int v) ? v : throw Wrong(key, "an integer");

    public double GetDouble(string key) => Get(key, JsonValueKind.Number, "a number").GetDouble();

    public string GetString(string key) => Get(key, JsonValueKind.String, "a string").GetString()!;

    public bool GetBool(string key)
    {
        if (!_root.TryGetProperty(key, out var v)) throw Missing(key);
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(key, "true or false"),
        };
    }

    public int[] GetIntArray(string key) =>
        Get(key, JsonValueKind.Array, "an array of integers").EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw Wrong(key, "an array of integers"))
            .ToArray();

    public int GetInt(string key, int fallback) => Has(key) ? GetInt(key) : fallback;
    public double GetDouble(string key, double fallback) => Has(key) ? GetDouble(key) : fallback;
    public string GetString(string key, string fallback) => Has(key) ? GetString(key) : fallback;
    public bool GetBool(string key, bool fallback) => Has(key) ? GetBool(key) : fallback;

    private JsonElement Get(string key, JsonValueKind kind, string what)
    {
        if (!_root.TryGetProperty(key, out var v)) throw Missing(key);
        return v.ValueKind == kind ? v : throw Wrong(key, what);
    }

    private CheckpointException Missing(string key) => new(FilePath, "the config has no such key", key);

    private CheckpointException Wrong(string key, string what) =>
        new(FilePath, $"expected {what}, found {Excerpt(key)}", key);

    private string Excerpt(string key)
    {
        string raw = _root.TryGetProperty(key, out var v) ? v.GetRawText() : "nothing";
        return raw.Length <= 60 ? raw : raw[..60] + "…";
    }
}
