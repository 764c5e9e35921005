namespace AudioEmbed.Core.Store;

/// <summary>One catalog variant and whether it is installed (Get-AudioEmbedModel's output).</summary>
public sealed class ModelStatus
{
    public string Model { get; init; } = "";
    public string Variant { get; init; } = "";
    public bool IsDefault { get; init; }
    public bool Available { get; init; }
    public bool Installed { get; init; }
    public string License { get; init; } = "";
    public int SampleRate { get; init; }
    public string DefaultLayer { get; init; } = "";
    public int Dimension { get; init; }
    public string[] Layers { get; init; } = Array.Empty<string>();
    public long? SizeBytes { get; init; }
    public string? Location { get; init; }
    public DateTime? InstalledUtc { get; init; }
    public string Description { get; init; } = "";
}
