namespace AudioEmbed.Core.Audio;

/// <summary>
/// A decoder whose container states how long the audio is (WAV/RF64/AIFF data size, FLAC STREAMINFO total
/// samples, MP3 Xing/Info frame count after gapless trimming). Comparing it with what really decoded reveals a
/// truncated file (see <see cref="TruncatedAudio"/>).
/// </summary>
public interface IDeclaredLength
{
    /// <summary>Frames the header declares, not capped by what the file holds; null when it does not say.</summary>
    long? DeclaredFrames { get; }
}
