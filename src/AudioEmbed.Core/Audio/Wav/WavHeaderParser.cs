using System.Buffers.Binary;
using System.Text;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Walks the chunks of a RIFF/RF64/BW64 WAVE file up to the start of the sample data, leaving the cursor there
/// ("FORM" files go to <see cref="AiffHeaderParser"/>). Unknown chunks are skipped wherever they are; chunk sizes
/// are only ever used to skip, never to allocate.
/// </summary>
internal static class WavHeaderParser
{
    private const uint Unknown32 = 0xFFFFFFFF;

    public static WavLayout Parse(WavStreamCursor cursor, string name)
    {
        Span<byte> riff = stackalloc byte[12];
        int got = cursor.ReadUpTo(riff);
        if (got == 0)
            throw new AudioDecodeException(name, "empty file (0 bytes)", 0);
        if (AiffHeaderParser.IsForm(riff[..got]))
            return AiffHeaderParser.Parse(cursor, name, riff[..got]);
        string container = RiffMagic(riff[..got]) ?? throw new AudioDecodeException(name, $"not a RIFF/WAVE (or AIFF) file: it starts with {Printable(riff[..Math.Min(got, 4)])}", 0);
        if (got < 12)
            throw new AudioDecodeException(name, $"truncated header: the file is only {got} bytes", got);
        if (!riff[8..12].SequenceEqual("WAVE"u8))
            throw new AudioDecodeException(name, $"not a WAVE file: RIFF form type is {Printable(riff[8..12])}", 8);
        uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(riff[4..]);
        bool rf64 = container != "RIFF";

        WavSampleFormat? format = null;
        long? ds64DataSize = null;
        long pendingDataOffset = -1;   // a data chunk seen before fmt (seekable streams only)
        long? pendingDataLength = null;
        Span<byte> header = stackalloc byte[8];
        Span<byte> retry = stackalloc byte[8];
        Span<byte> body = stackalloc byte[WavFmtChunk.MaxBodyBytes];
        bool previousWasPadded = false;

        while (true)
        {
            long chunkAt = cursor.Position;
            got = cursor.ReadUpTo(header);
            if (got < 8)
            {
                if (got > 0 && format is null)
                    throw new AudioDecodeException(name, "truncated header: a chunk header is cut short", chunkAt);
                break;
            }
            if (previousWasPadded && cursor.CanSeek && !IsKnownChunk(header[..4]))
                chunkAt = RecoverMissingPad(cursor, chunkAt, header, retry);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var id = header[..4];
            previousWasPadded = (size & 1) == 1;

            if (id.SequenceEqual("data"u8))
            {
                long? length = DataLength(size, rf64, ds64DataSize, riffSize);
                if (format is not null)
                    return new WavLayout(container, format, cursor.Position, length);
                if (!cursor.CanSeek)
                    throw new AudioDecodeException(name, "the data chunk comes before the fmt chunk, which a non-seekable stream cannot go back for", chunkAt);
                pendingDataOffset = cursor.Position;
                pendingDataLength = length;
                if (length is null || !cursor.Skip(length.Value + (length.Value & 1))) break;
                continue;
            }

            if (id.SequenceEqual("fmt "u8) && format is null)
            {
                int want = (int)Math.Min(size, WavFmtChunk.MaxBodyBytes);
                if (cursor.ReadUpTo(body[..want]) < want && size >= 16)
                    throw new AudioDecodeException(name, $"truncated header: the fmt chunk is cut short (file ends at byte {cursor.Position})", chunkAt);
                format = WavFmtChunk.Parse(body[..want], size, name, chunkAt); // also rejects a declared size under 16
                cursor.Skip(size - want + (size & 1));
            }
            else if (id.SequenceEqual("ds64"u8) && rf64)
            {
                // ds64: RIFF size, data size, sample count (all 64-bit), then a table this decoder does not need.
                if (size < 16)
                    throw new AudioDecodeException(name, $"ds64 chunk is {size} bytes, too short to hold the data size", chunkAt);
                int want = (int)Math.Min(size, 24);
                if (cursor.ReadUpTo(body[..want]) < want)
                    throw new AudioDecodeException(name, "truncated header: the ds64 chunk is cut short", chunkAt);
                long dataSize = BinaryPrimitives.ReadInt64LittleEndian(body[8..]);
                ds64DataSize = dataSize >= 0 ? dataSize : null;
                cursor.Skip(size - want + (size & 1));
            }
            else if (!cursor.Skip(size + (long)(size & 1)))
            {
                break;
            }
        }

        if (format is null)
            throw new AudioDecodeException(name, "no fmt chunk before the end of the file", cursor.Position);
        if (pendingDataOffset < 0)
            throw new AudioDecodeException(name, "no data chunk: the file has a format but no audio", cursor.Position);
        cursor.SeekTo(pendingDataOffset);
        return new WavLayout(container, format, pendingDataOffset, pendingDataLength);
    }

    /// <summary>
    /// Some writers omit the pad byte after an odd-sized chunk. When the chunk after one is unrecognised but a
    /// well-known chunk starts one byte earlier, that is the real chunk: use it (header and position updated).
    /// </summary>
    private static long RecoverMissingPad(WavStreamCursor cursor, long chunkAt, Span<byte> header, Span<byte> retry)
    {
        cursor.SeekTo(chunkAt - 1);
        if (cursor.ReadUpTo(retry) == 8 && IsKnownChunk(retry[..4]))
        {
            retry.CopyTo(header);
            return chunkAt - 1;
        }
        cursor.SeekTo(chunkAt + 8);
        return chunkAt;
    }

    private static bool IsKnownChunk(ReadOnlySpan<byte> id) =>
        id.SequenceEqual("data"u8) || id.SequenceEqual("fmt "u8) || id.SequenceEqual("LIST"u8) || id.SequenceEqual("fact"u8) ||
        id.SequenceEqual("JUNK"u8) || id.SequenceEqual("bext"u8) || id.SequenceEqual("id3 "u8) || id.SequenceEqual("ID3 "u8) ||
        id.SequenceEqual("cue "u8) || id.SequenceEqual("smpl"u8) || id.SequenceEqual("inst"u8) || id.SequenceEqual("PEAK"u8) ||
        id.SequenceEqual("iXML"u8) || id.SequenceEqual("cart"u8) || id.SequenceEqual("acid"u8) || id.SequenceEqual("PAD "u8) ||
        id.SequenceEqual("FLLR"u8) || id.SequenceEqual("axml"u8) || id.SequenceEqual("umid"u8) || id.SequenceEqual("DISP"u8);

    /// <summary>
    /// The data size, or null for "until the end of the file": streaming writers cannot go back to fill the size in,
    /// so they leave 0xFFFFFFFF (or 0 with an equally unknown RIFF size); RF64 puts the real size in ds64.
    /// </summary>
    private static long? DataLength(uint size, bool rf64, long? ds64DataSize, uint riffSize)
    {
        if (size == Unknown32) return rf64 ? ds64DataSize : null;
        if (size == 0 && (riffSize == 0 || riffSize == Unknown32)) return null;
        return size;
    }

    /// <summary>"RIFF", "RF64" or "BW64" when the bytes start like a RIFF-family file (a prefix counts), else null.</summary>
    internal static string? RiffMagic(ReadOnlySpan<byte> head)
    {
        var n = Math.Min(head.Length, 4);
        if (head[..n].SequenceEqual("RIFF"u8[..n])) return "RIFF";
        if (head[..n].SequenceEqual("RF64"u8[..n])) return "RF64";
        if (head[..n].SequenceEqual("BW64"u8[..n])) return "BW64";
        return null;
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder("'");
        foreach (var b in bytes) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        sb.Append("' (0x").Append(Convert.ToHexString(bytes)).Append(')');
        return sb.ToString();
    }
}
