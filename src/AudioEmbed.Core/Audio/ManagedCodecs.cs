using AudioEmbed.Core.Audio.Mp4;
using AudioEmbed.Core.Audio.Ogg;

namespace AudioEmbed.Core.Audio;

/// <summary>
/// Which files the managed decoders read. WAV, AIFF, FLAC and MP3 are one codec each; Ogg and MP4 are containers,
/// so the codec inside decides: Ogg Vorbis and MP4 ALAC and AAC-LC are managed, Ogg Opus/FLAC/Speex, MP4 HE-AAC and
/// the rest go to ffmpeg, named in the message. Raw AAC (ADTS) is one codec with profiles: AAC-LC is managed, the other
/// profiles and implicitly signalled HE-AAC go to ffmpeg.
/// </summary>
internal static class ManagedCodecs
{
    /// <param name="Managed">A managed decoder reads it.</param>
    /// <param name="Name">Container and codec in words, for messages ("Ogg Opus", "MP4/M4A AAC (HE-AAC)").</param>
    /// <param name="Why">Why not managed, when not (a codec without a managed decoder, a container the demuxer refuses).</param>
    internal readonly record struct Plan(bool Managed, string Name, string? Why = null);

    public static Plan For(string path, AudioFormat format, string? other, ReadOnlySpan<byte> head)
    {
        switch (format)
        {
            case AudioFormat.Wav or AudioFormat.Aiff or AudioFormat.Flac or AudioFormat.Mp3:
                return new Plan(true, AudioFile.Describe(format));
            case AudioFormat.Ogg:
                string? codec = OggCodec.Identify(head);
                return codec == OggCodec.Vorbis
                    ? new Plan(true, "Ogg Vorbis")
                    : new Plan(false, "Ogg " + (codec ?? "(unrecognised codec)"), $"the managed decoders read Vorbis in Ogg, and this file's first stream is {codec ?? "not Vorbis"}");
            case AudioFormat.Mp4:
                return Mp4Codecs.Plan(path);
            case AudioFormat.Adts:
                return Aac.AdtsCodecs.Plan(path);
            default:
                return new Plan(false, other ?? AudioFile.Describe(format), "no managed decoder reads it");
        }
    }
}
