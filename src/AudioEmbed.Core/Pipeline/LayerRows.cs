namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// What a model extractor returns for one file: the chosen layer as rows (one per patch or frame,
/// row-major), and optionally the tag likelihoods averaged over the song.
/// </summary>
internal sealed record LayerRows(float[] Rows, int RowCount, int Dimension, int Patches, float[]? MeanTaggram, long DecodedFrames, int NativeSampleRate)
{
    /// <summary>With the rows kept: where each row starts, in seconds from the start of the audio.</summary>
    public double[]? RowStartSeconds { get; init; }
    /// <summary>What brought the audio to the model's rate (<see cref="Audio.Resampling.ResampleRecipe.Describe"/>).</summary>
    public string Resampler { get; init; } = "";
    /// <summary>The recipe used, even when the audio was already at the model's rate (<see cref="Audio.Resampling.ResampleRecipe.Name"/>).</summary>
    public string ResamplingRecipe { get; init; } = "";
}
