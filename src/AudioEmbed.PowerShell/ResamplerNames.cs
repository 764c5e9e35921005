using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.PowerShell;

/// <summary>The values of -Resampler (ValidateSet matches them case-insensitively) and the kind each one names.</summary>
internal static class ResamplerNames
{
    /// <summary>libsoxr HQ as librosa ≥ 0.10 calls it (the Python pipeline, EnCodecMAE upstream).</summary>
    public const string SoxrHq = "SoxrHQ";
    /// <summary>torchaudio.functional.resample (the MERT model card).</summary>
    public const string Torchaudio = "Torchaudio";
    /// <summary>resampy kaiser_best (MusiCNN's librosa 0.8.1); -ResampyVersion picks its tables.</summary>
    public const string Resampy = "Resampy";

    public static ResamplerKind Parse(string value) =>
        string.Equals(value, SoxrHq, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.SoxrHq
        : string.Equals(value, Torchaudio, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.Torchaudio
        : string.Equals(value, Resampy, StringComparison.OrdinalIgnoreCase) ? ResamplerKind.Resampy
        : throw new ArgumentException($"Unknown resampler '{value}' (accepted: {SoxrHq}, {Torchaudio}, {Resampy}).", nameof(value));
}
