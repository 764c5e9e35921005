namespace AudioEmbed.Core.Output;

/// <summary>Why an audio file still needs an embedding (Get-EmbeddingStatus -Missing).</summary>
public enum MissingReason
{
    /// <summary>No .npy at the place the layout gives it.</summary>
    NotComputed,
    /// <summary>A .npy is there but unreadable, truncated or of a shape the model never produces.</summary>
    Invalid,
    /// <summary>The audio changed (size or modification time) since the embedding was written.</summary>
    AudioChanged,
    /// <summary>The embedding was written with another configuration (variant, layer, pooling, precision, resampler) than the one asked about.</summary>
    OtherSettings,
    /// <summary>A -Layer All -Pooling None file in the older (frames, layers, hidden) layout: recompute it.</summary>
    OlderLayout,
}

/// <summary>
/// One audio file that still needs an embedding of one model. AudioPath binds to Get-AudioEmbedding's -LiteralPath,
/// so these objects pipe straight into it.
/// </summary>
public sealed record MissingEmbedding
{
    /// <summary>Song name: the audio file's base name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Full path of the audio file.</summary>
    public string AudioPath { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>The variant asked about with -Variant; empty when none was.</summary>
    public string Variant { get; init; } = "";
    public MissingReason Reason { get; init; }
    /// <summary>What exactly is wrong, in words (the other variant, the file that is invalid...).</summary>
    public string Detail { get; init; } = "";
    /// <summary>Where the embedding is (or would be) written.</summary>
    public string EmbeddingPath { get; init; } = "";

    public override string ToString() => AudioPath; // what a string conversion (Out-File, -join) should show
}
