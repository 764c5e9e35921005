namespace AudioEmbed.Core.Store;

/// <summary>
/// What Install-AudioEmbedModel (or a first use) asks the store for. Only <see cref="Model"/> is required:
/// the default variant is downloaded (pinned or hub-verified) or taken from the Hugging Face cache.
/// </summary>
public sealed record InstallRequest(string Model)
{
    /// <summary>The catalog variant, or for a custom checkpoint the catalog variant whose architecture it has (default: the family's default).</summary>
    public string? Variant { get; init; }

    /// <summary>A local checkpoint file, a folder holding the catalog's file names, a Hugging Face cache folder (models--owner--name), or null to use the cache or download.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Reinstall even when the model is already installed.</summary>
    public bool Force { get; init; }

    /// <summary>Installs a checkpoint that is not in the catalog under this name (used afterwards as -Variant).</summary>
    public string? CustomName { get; init; }

    /// <summary>Accepts a non-commercial licence (MERT's CC-BY-NC-4.0).</summary>
    public bool AcceptLicense { get; init; }

    /// <summary>A Hugging Face repository (owner/name) holding a checkpoint of the variant's architecture; needs <see cref="CustomName"/>.</summary>
    public string? Repository { get; init; }

    /// <summary>The revision (commit, branch or tag) of <see cref="Repository"/>; default main.</summary>
    public string? Revision { get; init; }

    /// <summary>The checkpoint file in <see cref="Repository"/> (EnCodecMAE: name.pt; MERT: pytorch_model.bin or model.safetensors).</summary>
    public string? File { get; init; }
}
