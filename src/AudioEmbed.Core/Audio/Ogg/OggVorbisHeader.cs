using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// Get-AudioFileInfo's view of an Ogg Vorbis file, read without NVorbis and without decoding: the identification
/// header on the first page (channels, rate, nominal bitrate) and the length from the last page's granule position,
/// found in the file's last 64 KB. Both pages must pass their CRC. Reads a few KB at the head and at most 64 KB at the
/// tail, whatever the file's length.
/// </summary>
internal sealed record OggVorbisHeader(int Channels, int SampleRate, int NominalBitrate, long? Frames)
{
    private const int TailWindow = 64 * 1024;

    public static OggVorbisHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var head = new byte[27 + 255 + 255 * 255];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        int pageLength = PageLength(head.AsSpan(0, n));
        if (pageLength < 0 || !CrcOk(head.AsSpan(0, pageLength)))
            throw new AudioDecodeException(path, "the first Ogg page is damaged (bad structure or CRC)", 0);
        var packet = head.AsSpan(27 + head[26], pageLength - 27 - head[26]);
        if (packet.Length < 30 || !packet.StartsWith("\x01vorbis"u8))
            throw new AudioDecodeException(path, "the first Ogg page holds no Vorbis identification header", 0);
        int channels = packet[11];
        int rate = BinaryPrimitives.ReadInt32LittleEndian(packet[12..]);
        int nominal = BinaryPrimitives.ReadInt32LittleEndian(packet[20..]);
        if (channels < 1 || rate < 1) throw new AudioDecodeException(path, $"the Vorbis header gives {channels} channels at {rate} Hz", 0);
        uint serial = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(14));
        return new OggVorbisHeader(channels, rate, Math.Max(0, nominal), LastGranule(stream, serial));
    }

    /// <summary>The granule position of the last intact page of <paramref name="serial"/> in the tail; null when the tail ends another stream (a chained file).</summary>
    private static long? LastGranule(Stream stream, uint serial)
    {
        long start = Math.Max(0, stream.Length - TailWindow);
        var tail = new byte[stream.Length - start];
        stream.Position = start;
        int n = stream.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false);
        var span = tail.AsSpan(0, n);
        for (int i = span.LastIndexOf("OggS"u8); i >= 0; i = span[..i].LastIndexOf("OggS"u8))
        {
            int length = PageLength(span[i..]);
            if (length < 0 || !CrcOk(span.Slice(i, length))) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[(i + 14)..]) != serial) return null;
            long granule = BinaryPrimitives.ReadInt64LittleEndian(span[(i + 6)..]);
            if (granule > 0) return granule;
        }
        return null;
    }

    private static int PageLength(ReadOnlySpan<byte> page)
    {
        if (page.Length < 27 || !page.StartsWith("OggS"u8)) return -1;
        int segments = page[26];
        if (page.Length < 27 + segments) return -1;
        int length = 27 + segments;
        for (int i = 0; i < segments; i++) length += page[27 + i];
        return length <= page.Length ? length : -1;
    }

    private static bool CrcOk(ReadOnlySpan<byte> page)
    {
        uint stated = BinaryPrimitives.ReadUInt32LittleEndian(page[22..]);
        Span<byte> header = stackalloc byte[27];
        page[..27].CopyTo(header);
        header[22] = header[23] = header[24] = header[25] = 0;
        return OggPageCheck.Update(OggPageCheck.Update(0, header), page[27..]) == stated;
    }
}
