namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Forward reading over a stream that keeps its own byte position (relative to where decoding started),
/// so offsets in errors are right for pipes too, and that skips by seeking when it can and by reading when
/// it cannot. I/O failures become <see cref="AudioDecodeException"/>s naming the file.
/// </summary>
internal sealed class WavStreamCursor
{
    private readonly Stream _stream;
    private readonly long _origin;
    private readonly string _name;
    private byte[]? _discard;

    public WavStreamCursor(Stream stream, string name)
    {
        _stream = stream;
        _name = name;
        CanSeek = stream.CanSeek;
        _origin = CanSeek ? stream.Position : 0;
    }

    public bool CanSeek { get; }

    /// <summary>Bytes consumed since the start of the file.</summary>
    public long Position { get; private set; }

    /// <summary>Length of the file from its start, when the stream knows it.</summary>
    public long? Length => CanSeek ? Math.Max(0, _stream.Length - _origin) : null;

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the count read.</summary>
    public int ReadUpTo(Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = _stream.Read(buffer[total..]);
                if (n <= 0) break;
                total += n;
            }
        }
        catch (IOException e)
        {
            throw new AudioDecodeException(_name, $"read error: {e.Message}", Position + total, e);
        }
        Position += total;
        return total;
    }

    /// <summary>Skips <paramref name="count"/> bytes; false when the stream ended first.</summary>
    public bool Skip(long count)
    {
        if (count <= 0) return true;
        if (CanSeek)
        {
            long length = Length!.Value;
            long target = Position + count;
            bool complete = target <= length;
            SeekTo(complete ? target : length);
            return complete;
        }
        _discard ??= new byte[4096];
        while (count > 0)
        {
            int n = ReadUpTo(_discard.AsSpan(0, (int)Math.Min(count, _discard.Length)));
            if (n == 0) return false;
            count -= n;
        }
        return true;
    }

    /// <summary>Moves to an absolute position (seekable streams only).</summary>
    public void SeekTo(long position)
    {
        try
        {
            _stream.Seek(_origin + position, SeekOrigin.Begin);
        }
        catch (IOException e)
        {
            throw new AudioDecodeException(_name, $"seek error: {e.Message}", position, e);
        }
        Position = position;
    }
}
