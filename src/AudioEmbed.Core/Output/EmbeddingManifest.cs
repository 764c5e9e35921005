using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AudioEmbed.Core.Output;

/// <summary>One written embedding: what it was computed from and with (a line of manifest.jsonl).</summary>
public sealed record EmbeddingRecord
{
    /// <summary>The .npy path relative to the model folder, '/'-separated.</summary>
    [JsonPropertyName("output")] public string Output { get; init; } = "";
    [JsonPropertyName("source")] public string Source { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    [JsonPropertyName("modifiedUtc")] public DateTime ModifiedUtc { get; init; }
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("variant")] public string Variant { get; init; } = "";
    [JsonPropertyName("layer")] public string Layer { get; init; } = "";
    [JsonPropertyName("pooling")] public string Pooling { get; init; } = "";
    /// <summary>Decoded audio length in seconds (absent in lines written before it was recorded).</summary>
    [JsonPropertyName("durationSeconds")] public double? DurationSeconds { get; init; }
    /// <summary>Float32 or Int8; absent in lines written before configurations had their own folders (= Float32).</summary>
    [JsonPropertyName("precision")] public string Precision { get; init; } = "";
    /// <summary>What resampled the audio ("soxr_hq", "torchaudio", "resampy-0.4.2", "none"); absent in older lines and for imported embeddings.</summary>
    [JsonPropertyName("resampler")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Resampler { get; init; }
    [JsonPropertyName("moduleVersion")] public string ModuleVersion { get; init; } = "";
    [JsonPropertyName("modelHash")] public string ModelHash { get; init; } = "";
    [JsonPropertyName("writtenUtc")] public DateTime WrittenUtc { get; init; }
    /// <summary>The axes of a three-axis array (-Layer All -Pooling None), e.g. "layers,frames,hidden"; absent otherwise and in older lines.</summary>
    [JsonPropertyName("layout")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Layout { get; init; }
}

/// <summary>
/// manifest.jsonl in each model folder: one JSON line per embedding written, appended under an exclusive lock so
/// several machines or processes can share a folder. The last line for an output wins; a torn last line (a process
/// killed mid-append) is ignored. Get-EmbeddingStatus uses it to find embeddings whose audio or settings changed.
/// </summary>
public static class EmbeddingManifest
{
    public const string FileName = "manifest.jsonl";

    public static string KeyFor(string modelDirectory, string npyPath) =>
        Path.GetRelativePath(modelDirectory, npyPath).Replace(Path.DirectorySeparatorChar, '/');

    public static void Append(string modelDirectory, EmbeddingRecord record)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(record) + "\n");
        var path = Path.Combine(modelDirectory, FileName);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
                stream.Seek(0, SeekOrigin.End);
                stream.Write(line);
                return;
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(20); // another writer holds it for one line
            }
        }
    }

    public static Dictionary<string, EmbeddingRecord> Load(string modelDirectory)
    {
        var result = new Dictionary<string, EmbeddingRecord>(StringComparer.Ordinal);
        var path = Path.Combine(modelDirectory, FileName);
        if (!File.Exists(path)) return result;
        using var reader = new StreamReader(OpenForReading(path));
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            try
            {
                if (JsonSerializer.Deserialize<EmbeddingRecord>(line) is { Output.Length: > 0 } r) result[r.Output] = r;
            }
            catch (JsonException) { /* a torn or foreign line: skip it */ }
        }
        return result;
    }

    private static FileStream OpenForReading(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); }
            catch (IOException) when (attempt < 100) { Thread.Sleep(20); } // a writer is appending its line
        }
    }
}
