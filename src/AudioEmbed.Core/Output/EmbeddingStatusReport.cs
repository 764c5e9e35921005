namespace AudioEmbed.Core.Output;

/// <summary>How complete one model's embeddings are for a set of audio files.</summary>
public sealed class EmbeddingStatusReport
{
    public string Model { get; init; } = "";
    public string OutputDirectory { get; init; } = "";
    /// <summary>The folder of the configuration reported on: the model folder for the default, else its configuration folder.</summary>
    public string EmbeddingDirectory { get; init; } = "";
    public int AudioFiles { get; init; }
    public int Valid { get; init; }
    public int Missing => MissingFiles.Count;
    public int Orphaned => OrphanedFiles.Count;
    public int Invalid => InvalidFiles.Count;
    /// <summary>Valid embeddings whose audio changed since (size or modification time), or written with other settings than asked.</summary>
    public int Stale => StaleFiles.Count;
    public IReadOnlyList<string> StaleFiles { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> MissingFiles { get; init; } = Array.Empty<string>();
    /// <summary>.npy files with no audio file of the same song name.</summary>
    public IReadOnlyList<string> OrphanedFiles { get; init; } = Array.Empty<string>();
    /// <summary>.npy files that are unreadable, truncated or of a shape this model never produces; the audio counts as missing too.</summary>
    public IReadOnlyList<string> InvalidFiles { get; init; } = Array.Empty<string>();
    /// <summary>Every audio file that needs (re)computing, with why: missing, invalid and stale ones, in library order.</summary>
    public IReadOnlyList<MissingEmbedding> Pending { get; init; } = Array.Empty<MissingEmbedding>();
}
