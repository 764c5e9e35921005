using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>The settings only MERT has (<see cref="EmbeddingRequest.Options"/>).</summary>
internal static class MertOptions
{
    /// <summary>Seconds of audio per model run (default <see cref="MertExtractor.DefaultChunkSeconds"/>, MERT's training context).</summary>
    public const string ChunkSeconds = "ChunkSeconds";

    public static readonly IReadOnlyList<FamilyOption> All = new[]
    {
        new FamilyOption(ChunkSeconds, typeof(double), "seconds of audio per model run",
            v => v is double s && s >= 1 && s <= 600 ? null : $"-ChunkSeconds must be between 1 and 600 seconds, not {v}"),
    };
}
