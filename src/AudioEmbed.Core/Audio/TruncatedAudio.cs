namespace AudioEmbed.Core.Audio;

/// <summary>
/// A file that decoded to fewer frames than its header declared (cut short by an interrupted copy or download).
/// The embedding is still computed from what decoded; this records both lengths so the user is told.
/// </summary>
public sealed record TruncatedAudio(long DeclaredFrames, long DecodedFrames, int SampleRate)
{
    public TimeSpan DeclaredDuration => TimeSpan.FromSeconds((double)DeclaredFrames / SampleRate);

    public TimeSpan DecodedDuration => TimeSpan.FromSeconds((double)DecodedFrames / SampleRate);

    /// <summary>Null unless <paramref name="audio"/> declares a length and fewer frames than that decoded.</summary>
    public static TruncatedAudio? Check(IAudioSource audio, long decodedFrames) =>
        audio is IDeclaredLength { DeclaredFrames: long declared } && declared > decodedFrames && audio.SampleRate > 0
            ? new TruncatedAudio(declared, decodedFrames, audio.SampleRate)
            : null;

    /// <summary>"3:25.120 declared, 1:02.500 decoded" style text for messages.</summary>
    public string Describe() => $"its header declares {Format(DeclaredDuration)} ({DeclaredFrames} frames) but only {Format(DecodedDuration)} ({DecodedFrames} frames) decoded";

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss\.fff") : t.ToString(@"m\:ss\.fff");
}
