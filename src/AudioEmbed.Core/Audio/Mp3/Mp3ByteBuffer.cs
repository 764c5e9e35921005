namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// A sliding window over a stream: the frame reader looks ahead a few kilobytes (one frame plus the next
/// header) and moves forward; memory stays at the fixed window size whatever the file length.
/// </summary>
internal sealed class Mp3ByteBuffer
{
    private readonly Stream _stream;
    private readonly byte[] _buf = new byte[1 << 16];
    private int _start;  // index of the current position in _buf
    private int _end;    // index after the last valid byte
    private bool _eof;

    public Mp3ByteBuffer(Stream stream) => _stream = stream;

    /// <summary>Absolute byte offset of the current position in the stream.</summary>
    public long Position { get; private set; }

    /// <summary>Makes up to <paramref name="count"/> bytes available from the current position; returns how many are.</summary>
    public int Ensure(int count)
    {
        if (count > _buf.Length) count = _buf.Length;
        if (_end - _start >= count || _eof) return Math.Min(count, _end - _start);
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end < count && !_eof)
        {
            int n = _stream.Read(_buf, _end, _buf.Length - _end);
            if (n <= 0) _eof = true;
            else _end += n;
        }
        return Math.Min(count, _end - _start);
    }

    /// <summary>True when no byte follows the current position plus <paramref name="offset"/>.</summary>
    public bool IsEndAt(int offset) => Ensure(offset + 1) <= offset;

    /// <summary>The bytes available from the current position (call <see cref="Ensure"/> first).</summary>
    public ReadOnlySpan<byte> Span => _buf.AsSpan(_start, _end - _start);

    /// <summary>The underlying array and the index of the current position, for the bit reader.</summary>
    public byte[] Array => _buf;
    public int Offset => _start;

    public void Skip(long count)
    {
        while (count > 0)
        {
            int inBuf = _end - _start;
            if (count <= inBuf)
            {
                _start += (int)count;
                Position += count;
                return;
            }
            count -= inBuf;
            Position += inBuf;
            _start = _end = 0;
            if (_stream.CanSeek)
            {
                long remaining = _stream.Length - _stream.Position;
                long jump = Math.Min(count, remaining);
                _stream.Seek(jump, SeekOrigin.Current);
                Position += jump;
                count -= jump;
                if (count > 0) { _eof = true; return; }
                return;
            }
            if (Ensure(1) == 0) return;
        }
    }
}
