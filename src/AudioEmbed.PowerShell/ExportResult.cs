namespace AudioEmbed.PowerShell;

/// <summary>What Export-EmbeddingNpy did with one embedding.</summary>
public sealed class ExportResult
{
    public string Name { get; init; } = "";
    /// <summary>The audio file the embedding came from.</summary>
    public string Path { get; init; } = "";
    public string OutputPath { get; init; } = "";
    /// <summary>Written, Skipped (exists and -NoClobber, or -WhatIf) or Failed.</summary>
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
}
