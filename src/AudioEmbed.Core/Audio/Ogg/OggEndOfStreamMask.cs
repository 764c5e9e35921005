using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// A read-only view of an Ogg file in which no page is flagged end-of-stream (the flag cleared, the CRC made valid
/// again). NVorbis trims a stream's end with the last granule position, and a granule position smaller than the
/// samples already decoded sends that arithmetic negative and its read loop round forever (found by the fuzzer).
/// Without the flag NVorbis never trims, and <see cref="OggVorbisDecoder"/> cuts each stream at its last granule
/// position itself, the same result for a valid file and a clean stop for a lying one.
/// </summary>
internal sealed class OggEndOfStreamMask : Stream
{
    private readonly Stream _inner;
    private readonly (long Offset, byte[] Header)[] _patches;

    public OggEndOfStreamMask(Stream inner, IReadOnlyList<long> endOfStreamPages)
    {
        _inner = inner;
        _patches = new (long, byte[])[endOfStreamPages.Count];
        long saved = inner.Position;
        for (int i = 0; i < endOfStreamPages.Count; i++)
        {
            long at = endOfStreamPages[i];
            inner.Position = at;
            var head = new byte[27];
            inner.ReadExactly(head);
            int segments = head[26];
            var page = new byte[27 + segments + 255 * segments];
            inner.Position = at;
            int length = 27 + segments;
            inner.ReadExactly(page.AsSpan(0, length));
            for (int s = 0; s < segments; s++) length += page[27 + s];
            inner.ReadExactly(page.AsSpan(27 + segments, length - 27 - segments));
            page[5] &= 0xFB;
            page.AsSpan(22, 4).Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggPageCheck.Update(0, page.AsSpan(0, length)));
            _patches[i] = (at, page.AsSpan(0, 27).ToArray());
        }
        inner.Position = saved;
    }

    public override bool CanRead => true;
    public override bool CanSeek => _inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;

    public override long Position { get => _inner.Position; set => _inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long start = _inner.Position;
        int n = _inner.Read(buffer);
        foreach (var (at, header) in _patches)
        {
            long from = Math.Max(start, at), to = Math.Min(start + n, at + header.Length);
            for (long p = from; p < to; p++) buffer[(int)(p - start)] = header[p - at];
        }
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
