using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Header-only sniffing over an in-memory prefix: says whether the bytes are RIFF-family WAVE (or AIFF/AIFC) and, when the
/// fmt chunk is inside them, what it declares. Never throws on content.
/// </summary>
internal static class WavProbe
{
    public static WavInfo? Probe(ReadOnlySpan<byte> head)
    {
        if (AiffHeaderParser.IsForm(head)) return AiffHeaderParser.Probe(head);
        if (head.Length < 12 || !head[8..12].SequenceEqual("WAVE"u8)) return null;
        var container = WavHeaderParser.RiffMagic(head[..4]);
        if (container is null) return null;

        int at = 12;
        while (at + 8 <= head.Length)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(head[(at + 4)..]);
            if (head.Slice(at, 4).SequenceEqual("fmt "u8))
            {
                var body = head[(at + 8)..];
                body = body[..(int)Math.Min(body.Length, Math.Min(size, WavFmtChunk.MaxBodyBytes))];
                if (body.Length < Math.Min(size, WavFmtChunk.MaxBodyBytes)) return new WavInfo(container, null, "the fmt chunk extends past the bytes given");
                try
                {
                    return new WavInfo(container, WavFmtChunk.Parse(body, size, "(probe)", at), null);
                }
                catch (AudioDecodeException e)
                {
                    return new WavInfo(container, null, e.Problem);
                }
            }
            if (head.Slice(at, 4).SequenceEqual("data"u8)) break;
            long next = at + 8L + size + (size & 1);
            if (next > head.Length) break;
            at = (int)next;
        }
        return new WavInfo(container, null, "no fmt chunk within the bytes given");
    }
}
