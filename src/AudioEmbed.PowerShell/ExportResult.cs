namespace AudioEmbed.PowerShell;

/// <summary>What became of one embedding in Export-EmbeddingNpy.</summary>
public enum ExportStatus
{
    /// <summary>The .npy was written (and its line appended to manifest.jsonl).</summary>
    Written,
    /// <summary>Not written because the file exists and -NoClobber is set (Reason: Exists).</summary>
    Skipped,
    /// <summary>Not written: see Reason and the error record.</summary>
    Failed,
}

/// <summary>What Export-EmbeddingNpy did with one embedding.</summary>
public sealed class ExportResult
{
    public string Name { get; init; } = "";
    /// <summary>The audio file the embedding came from.</summary>
    public string Path { get; init; } = "";
    public string OutputPath { get; init; } = "";
    public ExportStatus Status { get; init; }
    public string? Reason { get; init; }
}
