namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>resampy's two precomputed band-limited filters.</summary>
public enum ResampyFilter
{
    /// <summary>High quality: long filter, roll-off close to Nyquist.</summary>
    KaiserBest,

    /// <summary>Shorter filter, lower roll-off; cheaper.</summary>
    KaiserFast,
}

/// <summary>
/// Which resampy release to reproduce. The filter tables changed in resampy 0.3.0, and the outputs differ by up to
/// ~0.05, so a model's preprocessing must pick the generation its reference pipeline was run with.
/// </summary>
public enum ResampyVersion
{
    /// <summary>resampy 0.3.0 .. 0.4.x tables (current); output positions computed as t * (1/r).</summary>
    V0_4_2,

    /// <summary>resampy 0.2.x tables (contemporary with librosa 0.8.1 and musicnn); output positions accumulated.</summary>
    V0_2_2,
}
