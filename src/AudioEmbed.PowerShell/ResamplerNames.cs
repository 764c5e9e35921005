using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.PowerShell;

/// <summary>The values of -Resampler (matched case-insensitively) and the kind each one names.</summary>
internal static class ResamplerNames
{
    /// <summary>libsoxr HQ as librosa ≥ 0.10 calls it (the Python pipeline, EnCodecMAE upstream).</summary>
    public const string SoxrHq = "SoxrHQ";
    /// <summary>torchaudio.functional.resample (the MERT model card).</summary>
    public const string Torchaudio = "Torchaudio";
    /// <summary>resampy kaiser_best (MusiCNN's librosa 0.8.1); -ResampyVersion picks its tables.</summary>
    public const string Resampy = "Resampy";

    /// <summary>The values of -ResampyVersion.</summary>
    public const string Resampy042 = "0.4.2";
    public const string Resampy022 = "0.2.2";

    public static ResamplerKind Parse(string value) =>
        string.Equals(value, SoxrHq, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.SoxrHq
        : string.Equals(value, Torchaudio, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.Torchaudio
        : string.Equals(value, Resampy, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.Resampy
        : throw new ArgumentException($"Unknown resampler '{value}' (accepted: {SoxrHq}, {Torchaudio}, {Resampy}).", nameof(value));

    /// <summary>-Resampler and -ResampyVersion as the overrides of a family's recipe (null when neither is given).</summary>
    public static ResamplerOverrides? Overrides(string? resampler, string? resampyVersion, bool exact = false) =>
        resampler is null && resampyVersion is null && !exact ? null : new ResamplerOverrides
        {
            Kind = resampler is null ? null : Parse(resampler),
            ResampyVersion = resampyVersion is null ? null : resampyVersion == Resampy022 ? ResampyVersion.V0_2_2 : ResampyVersion.V0_4_2,
            Exact = exact ? true : null,
        };

    /// <summary>The overrides that give the recipe <paramref name="recipeName"/> (a <see cref="ResampleRecipe.Name"/>); null for "" or "none".</summary>
    public static ResamplerOverrides? OverridesOf(string recipeName) => recipeName switch
    {
        "soxr_hq" => new ResamplerOverrides { Kind = ResamplerKind.SoxrHq },
        "torchaudio" => new ResamplerOverrides { Kind = ResamplerKind.Torchaudio },
        "resampy-0.4.2" => new ResamplerOverrides { Kind = ResamplerKind.Resampy, ResampyVersion = ResampyVersion.V0_4_2 },
        "resampy-0.2.2" => new ResamplerOverrides { Kind = ResamplerKind.Resampy, ResampyVersion = ResampyVersion.V0_2_2 },
        _ => null,
    };
}
