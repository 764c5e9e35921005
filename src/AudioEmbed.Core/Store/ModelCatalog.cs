using System.Text.Json;
using System.Text.Json.Serialization;

namespace AudioEmbed.Core.Store;

/// <summary>
/// The catalog of model families and variants (models/catalog.json): where each checkpoint comes from
/// (pinned URL and SHA-256), its licence, its sample rate and the layers an embedding can be taken from.
/// Adding a model means adding a family entry here and a folder under Models/.
/// </summary>
public sealed class ModelCatalog
{
    [JsonPropertyName("schema")] public int Schema { get; init; }
    [JsonPropertyName("families")] public List<ModelFamilyInfo> Families { get; init; } = new();

    public static ModelCatalog Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ModelCatalog>(stream) ?? throw new InvalidDataException("empty catalog");
        }
        catch (Exception ex) when (ex is IOException or JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ModelStoreException($"The model catalog '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>AUDIOEMBED_CATALOG: a catalog file used instead of the module's (an organisation's own pins; the tests' hub).</summary>
    public const string CatalogVariable = "AUDIOEMBED_CATALOG";

    private static readonly object CacheGate = new();
    private static (string Path, DateTime Written, ModelCatalog Catalog)? _cached;

    /// <summary>The catalog in AUDIOEMBED_CATALOG when set, else <paramref name="shippedPath"/>; re-read when the file changes.</summary>
    public static ModelCatalog LoadDefault(string shippedPath)
    {
        var fromEnv = Environment.GetEnvironmentVariable(CatalogVariable);
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(fromEnv) ? shippedPath : fromEnv);
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : default;
        lock (CacheGate)
        {
            if (_cached is { } c && c.Path == path && c.Written == written) return c.Catalog;
            var catalog = Load(path);
            _cached = (path, written, catalog);
            return catalog;
        }
    }

    public ModelFamilyInfo Family(string name) =>
        Families.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelStoreException($"Unknown model '{name}'. Known models: {string.Join(", ", Families.Select(f => f.Name))}.");
}

public sealed class ModelFamilyInfo
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>Folder name under the output directory and the store (the seed pipeline's lower-case names).</summary>
    [JsonPropertyName("folder")] public string Folder { get; init; } = "";
    [JsonPropertyName("available")] public bool Available { get; init; }
    [JsonPropertyName("plannedIn")] public string? PlannedIn { get; init; }
    [JsonPropertyName("sampleRate")] public int SampleRate { get; init; }
    [JsonPropertyName("defaultVariant")] public string DefaultVariant { get; init; } = "";
    [JsonPropertyName("homepage")] public string? Homepage { get; init; }
    [JsonPropertyName("source")] public string? Source { get; init; }
    [JsonPropertyName("variants")] public List<ModelVariantInfo> Variants { get; init; } = new();
    [JsonPropertyName("labels")] public Dictionary<string, string[]> Labels { get; init; } = new();

    public ModelVariantInfo Variant(string? name)
    {
        name ??= DefaultVariant;
        return Variants.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ModelStoreException($"Unknown variant '{name}' of {Name}. Known variants: {string.Join(", ", Variants.Select(v => v.Name))}.");
    }

    /// <summary>Throws the clear "not yet" message for families whose converter has not landed.</summary>
    public void EnsureAvailable()
    {
        if (!Available)
            throw new ModelStoreException($"{Name} is not available in this version of AudioEmbed: its converter arrives with {PlannedIn ?? "a later release"}. Get-AudioEmbedModel lists the models this version runs (Available).");
    }
}

public sealed class ModelVariantInfo
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    [JsonPropertyName("description")] public string Description { get; init; } = "";
    [JsonPropertyName("license")] public string License { get; init; } = "";
    /// <summary>The licence allows non-commercial use only: installing it asks for -AcceptLicense.</summary>
    [JsonPropertyName("nonCommercial")] public bool NonCommercial { get; init; }
    [JsonPropertyName("labels")] public string? Labels { get; init; }
    [JsonPropertyName("defaultLayer")] public string DefaultLayer { get; init; } = "";
    /// <summary>Layer name → embedding dimension.</summary>
    [JsonPropertyName("layers")] public Dictionary<string, int> Layers { get; init; } = new();
    [JsonPropertyName("files")] public List<ModelSourceFile> Files { get; init; } = new();

    /// <summary>Whether the licence is an SPDX identifier (else it is a sentence, e.g. "licence not stated by the authors").</summary>
    public bool HasSpdxLicense => License.Length > 0 && License.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+');

    /// <summary>The licence text (catalog licences are SPDX identifiers); null when the authors state none.</summary>
    public string? LicenseUrl => HasSpdxLicense ? $"https://spdx.org/licenses/{License}.html" : null;

    /// <summary>What an install shows: the licence, and for a non-commercial one what accepting it means.</summary>
    public string LicenseNotice => !HasSpdxLicense
        ? $"{Name}: {License}. Check the terms with the authors before using it."
        : NonCommercial
            ? $"{Name} is licensed {License} ({LicenseUrl}): non-commercial use only."
            : $"{Name} is licensed {License} ({LicenseUrl}).";

    public int LayerDimension(string layer) =>
        Layers.TryGetValue(layer, out var d) ? d
        : throw new ModelStoreException($"Variant {Name} has no layer '{layer}'. Layers: {string.Join(", ", Layers.Keys)}.");
}

public sealed class ModelSourceFile
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("url")] public string Url { get; init; } = "";
    [JsonPropertyName("sha256")] public string Sha256 { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    /// <summary>The Hugging Face repository (owner/name) the file comes from; null for a plain URL.</summary>
    [JsonPropertyName("repository")] public string? Repository { get; init; }
    /// <summary>The revision (a commit, or a branch such as main) of <see cref="Repository"/>.</summary>
    [JsonPropertyName("revision")] public string? Revision { get; init; }

    public bool Pinned => !string.IsNullOrEmpty(Sha256);
}
