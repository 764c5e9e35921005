using System.Buffers.Binary;
using System.Text;

namespace AudioEmbed.Core.Audio;

/// <summary>
/// Tells the format from content, never from the extension: FLAC data named .mp3 decodes as FLAC,
/// and a PNG named .mp3 is reported as not audio.
/// </summary>
public static class AudioFormatSniffer
{
    public const int HeadLength = 4096;

    public static AudioFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && (Ascii(head, 0, "RIFF") || Ascii(head, 0, "RF64")) && Ascii(head, 8, "WAVE")) return AudioFormat.Wav;
        if (Ascii(head, 0, "fLaC")) return AudioFormat.Flac;
        if (head.Length >= 12 && Ascii(head, 0, "FORM") && (Ascii(head, 8, "AIFF") || Ascii(head, 8, "AIFC"))) return AudioFormat.Aiff;
        if (Ascii(head, 0, "OggS")) return AudioFormat.Ogg;
        if (head.Length >= 12 && Ascii(head, 4, "ftyp")) return AudioFormat.Mp4;
        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == 0x75B22630) return AudioFormat.Asf;
        if (Ascii(head, 0, "ID3"))
        {
            // An ID3v2 tag can precede FLAC and raw AAC as well as MP3: look past it (AudioFile.SniffHead reads past
            // a tag longer than the head).
            int tagEnd = Id3v2Length(head);
            if (tagEnd > 0 && tagEnd + 4 <= head.Length && Ascii(head, tagEnd, "fLaC")) return AudioFormat.Flac;
            if (tagEnd > 0 && tagEnd < head.Length && Aac.AdtsHeader.StartsStream(head[tagEnd..])) return AudioFormat.Adts;
            return AudioFormat.Mp3;
        }
        // Before MP3: a run of ADTS frames from the first byte is unambiguous (layer 00, which MP3 never uses), while
        // the MP3 check accepts two chained frame headers anywhere in the head, which AAC data can contain by chance.
        if (Aac.AdtsHeader.StartsStream(head)) return AudioFormat.Adts;
        if (Mp3.Mp3Decoder.LooksLikeMp3(head) || LooksLikeMpegFrames(head)) return AudioFormat.Mp3;
        return AudioFormat.Unknown;
    }

    /// <summary>
    /// Names audio containers that <see cref="Detect"/> reports as <see cref="AudioFormat.Unknown"/> but ffmpeg
    /// decodes (Matroska/WebM, raw AAC, CAF, WavPack, Monkey's Audio, AC-3, AMR); null for anything else, so a
    /// picture or a text file is never handed to ffmpeg as if it were audio.
    /// </summary>
    public static string? OtherAudioContainer(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3) return "Matroska/WebM";
        if (Ascii(head, 0, "caff")) return "CAF";
        if (Ascii(head, 0, "wvpk")) return "WavPack";
        if (Ascii(head, 0, "MAC ")) return "Monkey's Audio";
        if (Ascii(head, 0, "#!AMR")) return "AMR";
        if (head.Length >= 2 && head[0] == 0x0B && head[1] == 0x77) return "AC-3";
        if (LooksLikeAdts(head)) return "AAC (ADTS)";
        return null;
    }

    /// <summary>
    /// Raw AAC that <see cref="Detect"/> does not take as a managed stream (two chained ADTS headers, then one that
    /// disagrees): named so that ffmpeg, which resynchronises, gets to try it.
    /// </summary>
    private static bool LooksLikeAdts(ReadOnlySpan<byte> head)
    {
        static int FrameLength(ReadOnlySpan<byte> h) =>
            h.Length >= 7 && h[0] == 0xFF && (h[1] & 0xF6) == 0xF0 && ((h[2] >> 2) & 0xF) < 13
                ? (h[3] & 3) << 11 | h[4] << 3 | h[5] >> 5
                : 0;
        int first = FrameLength(head);
        return first >= 7 && first + 7 <= head.Length && FrameLength(head.Slice(first)) >= 7;
    }

    /// <summary>10-byte header + syncsafe size (+ 10 for a footer).</summary>
    internal static int Id3v2Length(ReadOnlySpan<byte> head)
    {
        if (head.Length < 10) return -1;
        int size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F);
        return 10 + size + ((head[5] & 0x10) != 0 ? 10 : 0);
    }

    /// <summary>
    /// An MPEG audio frame sync with a plausible header as the first non-zero bytes. Catches what the decoder's
    /// two-header check cannot: free-format streams and files holding a single frame.
    /// </summary>
    private static bool LooksLikeMpegFrames(ReadOnlySpan<byte> head)
    {
        for (int i = 0; i + 4 <= head.Length; i++)
        {
            if (head[i] == 0) continue;
            if (head[i] != 0xFF || (head[i + 1] & 0xE0) != 0xE0) return false;
            int version = (head[i + 1] >> 3) & 3, layer = (head[i + 1] >> 1) & 3;
            int bitrate = head[i + 2] >> 4, rate = (head[i + 2] >> 2) & 3;
            return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
        }
        return false;
    }

    private static bool Ascii(ReadOnlySpan<byte> head, int offset, string text) =>
        head.Length >= offset + text.Length && head.Slice(offset, text.Length).SequenceEqual(Encoding.ASCII.GetBytes(text));
}
