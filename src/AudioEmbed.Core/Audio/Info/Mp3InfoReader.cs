using System.Buffers.Binary;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Core.Audio.Info;

/// <summary>
/// MP3 facts from the first frames only: the managed decoder validates the stream and gives rate, channels and the
/// gapless frame count of a Xing/Info frame; a short scan of the first frame headers gives version, bitrate and
/// whether the bitrate is constant. Without a Xing count the duration is estimated from the audio bytes and bitrate.
/// </summary>
internal static class Mp3InfoReader
{
    /// <summary>Frame headers sampled to tell CBR from VBR and to average the bitrate.</summary>
    private const int SampledFrames = 32;
    private const int Window = 64 * 1024;

    public static AudioFileInfo Read(string path, long size)
    {
        long? totalFrames;
        int rate, channels;
        using (var decoder = Mp3Decoder.Open(path))
        {
            totalFrames = decoder.TotalFrames;
            rate = decoder.SampleRate;
            channels = decoder.Channels;
        }

        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        long start = SkipId3v2(fs);
        var buffer = new byte[Window];
        fs.Position = start;
        int n = fs.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var span = buffer.AsSpan(0, n);

        int first = FirstFrame(span, out var header);
        if (first < 0) throw new AudioDecodeException(path, "no MPEG audio frame header found in the first 64 KB after the tags", start);
        bool isXing = false;
        int pos = first;
        if (Mp3XingHeader.TryParse(span.Slice(first, Math.Min(span.Length - first, header.FrameBytes)), header) != null)
        {
            isXing = span.Slice(first).IndexOf("Xing"u8) is >= 0 and < 64; // "Xing" = VBR, "Info" = CBR (LAME's convention)
            pos += header.FrameBytes;
        }

        // Sample the following frame headers.
        long bitSum = 0;
        int count = 0, firstBitrate = 0;
        bool constant = true;
        while (count < SampledFrames && pos + 4 <= span.Length && Mp3FrameHeader.TryParse(span.Slice(pos), out var h)
               && h.StreamSignature == header.StreamSignature && !h.IsFreeFormat)
        {
            int kbps = h.BitrateKbps;
            if (count == 0) firstBitrate = kbps;
            else if (kbps != firstBitrate) constant = false;
            bitSum += kbps;
            count++;
            pos += h.FrameBytes;
        }

        long audioBytes = Math.Max(0, size - (start + first) - TrailingTagBytes(fs, size));
        TimeSpan? duration = ManagedInfoReader.Seconds(totalFrames, rate);
        bool estimate = false;
        long? bitrate = null;
        double meanKbps = count > 0 ? (double)bitSum / count : 0;
        if (duration is { TotalSeconds: > 0 } d && (isXing || count == 0))
            bitrate = (long)Math.Round(audioBytes * 8 / d.TotalSeconds);
        else if (count > 0)
            bitrate = constant ? firstBitrate * 1000L : (long)Math.Round(meanKbps * 1000);
        if (duration is null && meanKbps > 0)
        {
            duration = TimeSpan.FromSeconds(audioBytes * 8 / (meanKbps * 1000));
            estimate = true;
        }

        string version = header.Version == 25 ? "MPEG-2.5" : $"MPEG-{header.Version}";
        string codec = $"{version} Layer III";
        return new AudioFileInfo
        {
            Path = path,
            Format = $"MP3 ({codec})",
            Container = "MP3",
            Codec = codec,
            SampleRate = rate,
            Channels = channels,
            BitsPerSample = null,
            Frames = totalFrames,
            Duration = duration,
            DurationIsEstimate = estimate,
            Bitrate = bitrate,
            FileSize = size,
            Decoder = "Managed",
        };
    }

    /// <summary>Offset after the leading ID3v2 tags (there may be several).</summary>
    private static long SkipId3v2(FileStream fs)
    {
        long pos = 0;
        Span<byte> h = stackalloc byte[10];
        while (true)
        {
            fs.Position = pos;
            if (fs.ReadAtLeast(h, 10, throwOnEndOfStream: false) < 10 || !h.StartsWith("ID3"u8) || ((h[6] | h[7] | h[8] | h[9]) & 0x80) != 0)
                return pos;
            pos += 10 + ((h[6] & 0x7F) << 21 | (h[7] & 0x7F) << 14 | (h[8] & 0x7F) << 7 | (h[9] & 0x7F)) + ((h[5] & 0x10) != 0 ? 10 : 0);
        }
    }

    /// <summary>The first Layer III header confirmed by a second one where its length says.</summary>
    private static int FirstFrame(ReadOnlySpan<byte> span, out Mp3FrameHeader header)
    {
        for (int i = 0; i + 4 <= span.Length; i++)
        {
            if (span[i] != 0xFF || !Mp3FrameHeader.TryParse(span.Slice(i), out header) || header.IsFreeFormat || header.Layer != 3) continue;
            int next = i + header.FrameBytes;
            if (next + 4 > span.Length) return i; // a file of one frame
            if (Mp3FrameHeader.TryParse(span.Slice(next), out var h2) && h2.StreamSignature == header.StreamSignature) return i;
        }
        header = default;
        return -1;
    }

    /// <summary>ID3v1 ("TAG", 128 bytes) and an APEv2 tag before it or at the end: not audio.</summary>
    private static long TrailingTagBytes(FileStream fs, long size)
    {
        long tail = 0;
        Span<byte> b = stackalloc byte[32];
        if (size >= 128)
        {
            fs.Position = size - 128;
            if (fs.ReadAtLeast(b.Slice(0, 3), 3, false) == 3 && b.Slice(0, 3).SequenceEqual("TAG"u8)) tail = 128;
        }
        if (size - tail >= 32)
        {
            fs.Position = size - tail - 32;
            if (fs.ReadAtLeast(b, 32, false) == 32 && b.StartsWith("APETAGEX"u8))
            {
                long apeSize = BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(12));
                bool hasHeader = (BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(20)) & 0x80000000) != 0;
                tail += Math.Min(size - tail, apeSize + (hasHeader ? 32 : 0));
            }
        }
        return tail;
    }
}
