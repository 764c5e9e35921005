namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// Which resampling algorithm a model's front end reproduces. Each kind is one line in <see cref="Resamplers"/>:
/// adding an algorithm is a new IAudioSource-wrapping class plus that line.
/// </summary>
public enum ResamplerKind
{
    /// <summary>resampy's band-limited sinc (kaiser_best), the table generation chosen by <see cref="ResampleRecipe.ResampyVersion"/>.</summary>
    Resampy,

    /// <summary>libsoxr HQ as librosa ≥ 0.10 calls it, with librosa's <c>fix_length</c> built in (<see cref="Resamplers.SoxrHq(IAudioSource, int, bool)"/>).</summary>
    SoxrHq,

    /// <summary><c>torchaudio.functional.resample</c> with its defaults, ceil(out · n / in) samples (<see cref="Resamplers.Torchaudio(IAudioSource, int, bool)"/>).</summary>
    Torchaudio,
}
