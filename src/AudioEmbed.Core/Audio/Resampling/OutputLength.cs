namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>How many samples a resampled stream ends with.</summary>
public enum OutputLength
{
    /// <summary>What the resampler itself produces (resampy: floor(n · r)).</summary>
    Natural,

    /// <summary>librosa's <c>fix_length</c> to ceil(n · r), as <c>librosa.load(sr=…)</c> returns it.</summary>
    LibrosaFixLength,
}
