using System.Text.Json;
using System.Text.Json.Serialization;

namespace AudioEmbed.Core.Store;

/// <summary>What the store knows about one installed model: where it came from, how it was converted, what it offers.</summary>
public sealed class ModelManifest
{
    public const string FileName = "manifest.json";
    public const string OnnxFileName = "model.onnx";

    [JsonPropertyName("family")] public string Family { get; init; } = "";
    [JsonPropertyName("variant")] public string Variant { get; init; } = "";
    /// <summary>True for a checkpoint installed under a name of the user's (-Name), not from the catalog.</summary>
    [JsonPropertyName("custom")] public bool Custom { get; init; }
    /// <summary>The catalog variant whose architecture a custom checkpoint has.</summary>
    [JsonPropertyName("baseVariant")] public string? BaseVariant { get; init; }
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    [JsonPropertyName("license")] public string License { get; init; } = "";
    [JsonPropertyName("sampleRate")] public int SampleRate { get; init; }
    [JsonPropertyName("defaultLayer")] public string DefaultLayer { get; init; } = "";
    [JsonPropertyName("layers")] public Dictionary<string, int> Layers { get; init; } = new();
    [JsonPropertyName("labels")] public string[] Labels { get; init; } = Array.Empty<string>();
    [JsonPropertyName("sources")] public List<InstalledSource> Sources { get; init; } = new();
    [JsonPropertyName("onnxSha256")] public string OnnxSha256 { get; init; } = "";
    [JsonPropertyName("converterVersion")] public string ConverterVersion { get; init; } = "";
    [JsonPropertyName("installedUtc")] public DateTime InstalledUtc { get; init; }
    /// <summary>When the user accepted a non-commercial licence with -AcceptLicense (null: none was asked for).</summary>
    [JsonPropertyName("licenseAcceptedUtc")] public DateTime? LicenseAcceptedUtc { get; init; }

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    public static ModelManifest Load(string path)
    {
        try { return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path)) ?? throw new JsonException("empty"); }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new ModelStoreException($"The installed model manifest '{path}' is unreadable ({ex.Message}); reinstall the model with Install-AudioEmbedModel -Force.", ex);
        }
    }
}

public sealed class InstalledSource
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    /// <summary>True when the hash was checked against one pinned in the catalog; false when it was only recorded.</summary>
    [JsonPropertyName("pinned")] public bool Pinned { get; init; } = true;
    /// <summary>The URL it was downloaded from, or the local path it was installed from.</summary>
    [JsonPropertyName("origin")] public string Origin { get; init; } = "";
    /// <summary>How the bytes were checked: "pinned" (our catalog's SHA-256), "hub" (the hash the Hugging Face hub advertised), "recorded" (not checked: a checkpoint of the user's).</summary>
    [JsonPropertyName("verification")] public string Verification { get; init; } = "";
    /// <summary>Where the bytes came from: "download", "huggingface-cache" or "source-path".</summary>
    [JsonPropertyName("via")] public string Via { get; init; } = "";
    [JsonPropertyName("repository")] public string? Repository { get; init; }
    [JsonPropertyName("revision")] public string? Revision { get; init; }
    /// <summary>The commit the revision resolved to (X-Repo-Commit, or the cache snapshot).</summary>
    [JsonPropertyName("commit")] public string? Commit { get; init; }
    /// <summary>The hash that was checked when it was not our SHA-256 pin (e.g. "git blob SHA-1 …").</summary>
    [JsonPropertyName("checkedHash")] public string? CheckedHash { get; init; }
}

public static class Verification
{
    public const string Pinned = "pinned";
    public const string Hub = "hub";
    public const string Recorded = "recorded";
}

public static class SourceVia
{
    public const string Download = "download";
    public const string HuggingFaceCache = "huggingface-cache";
    public const string SourcePath = "source-path";
}
