using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// Walks every Ogg page of a file once (27-byte header, lacing table, body) and checks its CRC-32 before NVorbis sees
/// the file. NVorbis trusts page structure: a damaged page made it loop forever in the fuzzer, and a library call
/// cannot be interrupted in-process. So a file is handed over only when its pages are intact, one after another
/// from the first byte; a file cut inside its last page is accepted (the audio before the cut decodes). The pass
/// reads the file sequentially and costs far less than decoding it. It also notes each logical stream's last granule
/// position and where the end-of-stream pages are (see <see cref="OggEndOfStreamMask"/> for why).
/// </summary>
internal static class OggPageCheck
{
    /// <param name="Serials">Logical streams in the order their first pages appear.</param>
    /// <param name="LastGranule">Each stream's last page's granule position (its length in samples).</param>
    /// <param name="EndOfStreamPages">File offsets of pages flagged end-of-stream.</param>
    /// <param name="Multiplexed">Pages of one stream come back after another stream's: streams at once, not chained.</param>
    internal sealed record Index(List<uint> Serials, Dictionary<uint, long> LastGranule, List<long> EndOfStreamPages)
    {
        public bool Multiplexed { get; set; }
    }

    private static readonly uint[] Table = BuildTable();

    public static Index Verify(Stream stream, string name)
    {
        var index = new Index(new List<uint>(), new Dictionary<uint, long>(), new List<long>());
        long start = stream.Position;
        long length = stream.Length;
        var header = new byte[27 + 255];
        var body = new byte[255 * 255];
        long offset = start;
        int pages = 0;
        while (offset < length)
        {
            stream.Position = offset;
            int got = stream.ReadAtLeast(header.AsSpan(0, 27), 27, throwOnEndOfStream: false);
            if (got < 27) { if (pages > 0) break; throw Damaged(name, "the file ends inside the first page header", offset); }
            if (!header.AsSpan(0, 4).SequenceEqual("OggS"u8))
                throw Damaged(name, "no Ogg page starts where the previous one ends", offset);
            if (header[4] != 0) throw Damaged(name, $"Ogg page version {header[4]} (only 0 exists)", offset);
            int segments = header[26];
            if (stream.ReadAtLeast(header.AsSpan(27, segments), segments, throwOnEndOfStream: false) < segments) break; // cut in the last page
            int bodyLength = 0;
            for (int i = 0; i < segments; i++) bodyLength += header[27 + i];
            if (stream.ReadAtLeast(body.AsSpan(0, bodyLength), bodyLength, throwOnEndOfStream: false) < bodyLength) break; // cut in the last page
            uint stated = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(22));
            header[22] = header[23] = header[24] = header[25] = 0;
            uint crc = Update(Update(0, header.AsSpan(0, 27 + segments)), body.AsSpan(0, bodyLength));
            if (crc != stated) throw Damaged(name, $"Ogg page {pages} fails its CRC check (the data is damaged)", offset);
            uint serial = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(14));
            long granule = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(6));
            if (!index.LastGranule.ContainsKey(serial)) { index.Serials.Add(serial); index.LastGranule[serial] = 0; }
            else if (serial != index.Serials[^1]) index.Multiplexed = true;
            if (granule != -1) index.LastGranule[serial] = granule; // -1: no packet ends on this page
            if ((header[5] & 4) != 0) index.EndOfStreamPages.Add(offset);
            offset += 27 + segments + bodyLength;
            pages++;
        }
        stream.Position = start;
        return index;
    }

    private static AudioDecodeException Damaged(string name, string problem, long offset) =>
        new(name, problem + "; the managed Ogg decoder reads intact files only (-Decoder FFmpeg skips damaged pages)", offset);

    /// <summary>Ogg's CRC-32: polynomial 0x04C11DB7, MSB first, initial value 0, no final XOR.</summary>
    internal static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = crc << 8 ^ Table[(crc >> 24) ^ b];
        return crc;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int k = 0; k < 8; k++) r = (r & 0x80000000) != 0 ? r << 1 ^ 0x04C11DB7 : r << 1;
            t[i] = r;
        }
        return t;
    }
}
