namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Which resampling algorithm a model's front end reproduces. Each kind is one line in <see cref="Resamplers"/>:
/// adding an algorithm is a new IAudioSource-wrapping class plus that line.
/// </summary>
public enum ResamplerKind
{
    /// <summary>resampy's band-limited sinc (kaiser_best), the table generation chosen by <see cref="ResampleRecipe.ResampyVersion"/>.</summary>
    Resampy,
}
