namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// Streams a sound track of an MP4/M4A file one access unit at a time (the file is read at each sample's offset, so
/// memory is one packet plus one decoded frame) and trims it to the range ffmpeg outputs: the edit list's start
/// (or iTunSMPB's priming) is skipped, and the end kept as ffmpeg keeps it (see <see cref="Mp4File.Skip"/>). The codec is the subclass's: <see cref="M4aAlacSource"/>,
/// <see cref="M4aAacSource"/>.
/// </summary>
public abstract class Mp4AudioSource : IAudioSource
{
    private readonly Stream _stream;
    private readonly Mp4SampleTable.Cursor _cursor;
    private readonly long _fileLength;
    private readonly int _maxPacketBytes;
    private byte[] _packet = new byte[4096];
    private float[] _decoded = Array.Empty<float>();
    private int _decodedFrames;
    private int _decodedPosition;
    private long _skip;
    private bool _disposed;

    private protected Mp4AudioSource(Stream stream, string name, Mp4File file, int maxPacketBytes)
    {
        _stream = stream;
        Name = name;
        File = file;
        _cursor = file.Track.Samples.Start();
        _fileLength = stream.Length;
        _maxPacketBytes = maxPacketBytes;
        _skip = -1; // set at the first read: the codec's rate is the subclass's, known after this constructor
    }

    public string Name { get; }

    private protected Mp4File File { get; }

    public abstract int SampleRate { get; }

    public abstract int Channels { get; }

    /// <summary>What <see cref="Read"/> gives in all: the decoded frames less the skipped start.</summary>
    public long? TotalFrames => Math.Max(0, DecodedFrames() - File.Skip(SampleRate));

    /// <summary>The signal's true length by the edit list (without the last AAC frame's padding, which <see cref="Read"/> keeps as ffmpeg does); null without one.</summary>
    public long? EditFrames => File.EditFrames(SampleRate);

    /// <summary>Frames the whole track decodes to, before the start is skipped.</summary>
    private protected abstract long DecodedFrames();

    /// <summary>Decodes one access unit (<paramref name="length"/> bytes, 8 spare after them) into interleaved floats; returns its frames.</summary>
    private protected abstract int DecodePacket(byte[] packet, int length, long offset, ref float[] interleaved);

    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int channels = Channels;
        if (interleaved.Length < channels)
            throw new ArgumentException($"the read span ({interleaved.Length} values) cannot hold one frame of {channels} channels", nameof(interleaved));
        int want = interleaved.Length / channels;
        int written = 0;
        if (_skip < 0) _skip = File.Skip(SampleRate);
        while (written < want)
        {
            if (_decodedPosition == _decodedFrames && !NextPacket()) break;
            int available = _decodedFrames - _decodedPosition;
            if (_skip > 0)
            {
                int drop = (int)Math.Min(_skip, available);
                _skip -= drop;
                _decodedPosition += drop;
                continue;
            }
            int n = Math.Min(want - written, available);
            _decoded.AsSpan(_decodedPosition * channels, n * channels).CopyTo(interleaved[(written * channels)..]);
            _decodedPosition += n;
            written += n;
        }
        return written;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stream.Dispose();
        GC.SuppressFinalize(this);
    }

    private bool NextPacket()
    {
        if (!_cursor.Next(out long offset, out uint size)) return false;
        if (size > _maxPacketBytes || size > _fileLength)
            throw new AudioDecodeException(Name, $"sample {_cursor.Sample - 1} is {size} bytes, more than the codec allows ({_maxPacketBytes})", offset);
        if (offset < 0 || offset > _fileLength - size)
            throw new AudioDecodeException(Name, $"sample {_cursor.Sample - 1} ({size} bytes at byte {offset}) lies past the end of the {_fileLength}-byte file: the file is cut short", offset);
        int length = (int)size;
        if (_packet.Length < length + 8) _packet = new byte[Math.Max(length + 8, _packet.Length * 2)];
        _stream.Position = offset;
        _stream.ReadExactly(_packet, 0, length);
        _packet.AsSpan(length, 8).Clear();
        _decodedFrames = DecodePacket(_packet, length, offset, ref _decoded);
        _decodedPosition = 0;
        return true;
    }
}
