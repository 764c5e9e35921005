using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Walks the big-endian chunks of an AIFF/AIFC ("FORM") file up to the first sample of the SSND chunk, leaving the
/// cursor there. Like the WAV walker, sizes only drive skipping, never allocation.
/// </summary>
internal static class AiffHeaderParser
{
    public static bool IsForm(ReadOnlySpan<byte> head) => head.Length >= 4 && head[..4].SequenceEqual("FORM"u8);

    /// <param name="form">The 12 bytes already read: "FORM", size, form type.</param>
    public static WavLayout Parse(WavStreamCursor cursor, string name, ReadOnlySpan<byte> form)
    {
        if (form.Length < 12)
            throw new AudioDecodeException(name, $"truncated header: the file is only {form.Length} bytes", form.Length);
        bool aifc = form[8..12].SequenceEqual("AIFC"u8);
        if (!aifc && !form[8..12].SequenceEqual("AIFF"u8))
            throw new AudioDecodeException(name, $"not an AIFF file: FORM type is {WavHeaderParser.Printable(form[8..12])}", 8);
        string container = aifc ? "AIFC" : "AIFF";

        WavSampleFormat? format = null;
        long commFrames = 0;
        long pendingOffset = -1;   // an SSND chunk seen before COMM (seekable streams only)
        long? pendingLength = null;
        Span<byte> header = stackalloc byte[8];
        Span<byte> body = stackalloc byte[AiffCommChunk.MaxBodyBytes];

        while (true)
        {
            long chunkAt = cursor.Position;
            int got = cursor.ReadUpTo(header);
            if (got < 8)
            {
                if (got > 0 && format is null)
                    throw new AudioDecodeException(name, "truncated header: a chunk header is cut short", chunkAt);
                break;
            }
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
            long padded = size + (long)(size & 1);
            var id = header[..4];

            if (id.SequenceEqual("SSND"u8))
            {
                // SSND: offset to the first sample, block size (alignment hint), then the samples.
                if (cursor.ReadUpTo(body[..8]) < 8)
                    throw new AudioDecodeException(name, "truncated header: the SSND chunk is cut short", chunkAt);
                uint skip = BinaryPrimitives.ReadUInt32BigEndian(body);
                long? length = size >= 8L + skip ? size - 8L - skip : null;
                if (!cursor.Skip(skip))
                    throw new AudioDecodeException(name, $"SSND offset {skip} points past the end of the file", chunkAt);
                if (format is not null)
                    return new WavLayout(container, format, cursor.Position, Bound(length, commFrames, format));
                if (!cursor.CanSeek)
                    throw new AudioDecodeException(name, "the SSND chunk comes before the COMM chunk, which a non-seekable stream cannot go back for", chunkAt);
                pendingOffset = cursor.Position;
                pendingLength = length;
                if (length is null || !cursor.Skip(padded - 8 - skip)) break;
                continue;
            }

            if (id.SequenceEqual("COMM"u8) && format is null)
            {
                int want = (int)Math.Min(size, AiffCommChunk.MaxBodyBytes);
                if (cursor.ReadUpTo(body[..want]) < want)
                    throw new AudioDecodeException(name, $"truncated header: the COMM chunk is cut short (file ends at byte {cursor.Position})", chunkAt);
                (format, commFrames) = AiffCommChunk.Parse(body[..want], size, aifc, name, chunkAt);
                cursor.Skip(padded - want);
            }
            else if (!cursor.Skip(padded))
            {
                break;
            }
        }

        if (format is null)
            throw new AudioDecodeException(name, "no COMM chunk before the end of the file", cursor.Position);
        if (pendingOffset < 0)
            throw new AudioDecodeException(name, "no SSND chunk: the file has a format but no audio", cursor.Position);
        cursor.SeekTo(pendingOffset);
        return new WavLayout(container, format, pendingOffset, Bound(pendingLength, commFrames, format));
    }

    /// <summary>
    /// COMM's frame count is authoritative when set (SSND may carry block-alignment padding after the last frame);
    /// streaming writers leave it 0, and then the SSND size (or the end of the file) decides.
    /// </summary>
    private static long? Bound(long? ssndLength, long commFrames, WavSampleFormat format)
    {
        if (commFrames == 0) return ssndLength;
        long commBytes = commFrames * format.BlockAlign;
        return ssndLength is long s ? Math.Min(s, commBytes) : commBytes;
    }

    /// <summary>Probe over an in-memory prefix; null unless it is a FORM of type AIFF/AIFC.</summary>
    public static WavInfo? Probe(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12 || !IsForm(head)) return null;
        bool aifc = head[8..12].SequenceEqual("AIFC"u8);
        if (!aifc && !head[8..12].SequenceEqual("AIFF"u8)) return null;
        string container = aifc ? "AIFC" : "AIFF";
        int at = 12;
        while (at + 8 <= head.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(head[(at + 4)..]);
            if (head.Slice(at, 4).SequenceEqual("COMM"u8))
            {
                var body = head[(at + 8)..];
                body = body[..(int)Math.Min(body.Length, Math.Min(size, AiffCommChunk.MaxBodyBytes))];
                if (body.Length < Math.Min(size, AiffCommChunk.MaxBodyBytes)) return new WavInfo(container, null, "the COMM chunk extends past the bytes given");
                try
                {
                    return new WavInfo(container, AiffCommChunk.Parse(body, size, aifc, "(probe)", at).Format, null);
                }
                catch (AudioDecodeException e)
                {
                    return new WavInfo(container, null, e.Problem);
                }
            }
            long next = at + 8L + size + (size & 1);
            if (next > head.Length) break;
            at = (int)next;
        }
        return new WavInfo(container, null, "no COMM chunk within the bytes given");
    }
}
