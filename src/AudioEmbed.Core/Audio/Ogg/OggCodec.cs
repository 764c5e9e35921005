namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// Names the codec of an Ogg file's first logical stream from its first page, which by the Ogg rules holds only
/// that stream's identification header: Vorbis decodes in-process, the others (Opus, FLAC, Speex...) go to ffmpeg.
/// </summary>
public static class OggCodec
{
    public const string Vorbis = "Vorbis";

    /// <summary>"Vorbis", "Opus", "FLAC", "Speex", "Theora" ...; null when the head is not an Ogg page or the codec is unknown.</summary>
    public static string? Identify(ReadOnlySpan<byte> head)
    {
        // Page header: "OggS", version, flags, granule (8), serial (4), sequence (4), CRC (4), segment count, lacing.
        if (head.Length < 27 || !head.StartsWith("OggS"u8)) return null;
        int segments = head[26];
        int packet = 27 + segments;
        if (packet >= head.Length) return null;
        var p = head[packet..];
        if (p.StartsWith("\x01vorbis"u8)) return Vorbis;
        if (p.StartsWith("OpusHead"u8)) return "Opus";
        if (p.StartsWith((ReadOnlySpan<byte>)[0x7F, (byte)'F', (byte)'L', (byte)'A', (byte)'C'])) return "FLAC";
        if (p.StartsWith("Speex   "u8)) return "Speex";
        if (p.StartsWith((ReadOnlySpan<byte>)[0x80, (byte)'t', (byte)'h', (byte)'e', (byte)'o', (byte)'r', (byte)'a'])) return "Theora";
        if (p.StartsWith("fishead\0"u8)) return "Skeleton";
        return null;
    }
}
