namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Streaming decoder for RIFF/RF64/BW64 WAVE files holding PCM (8-bit unsigned, 16/24/32-bit signed, any valid-bit
/// count within those containers) or IEEE float (32/64-bit), plain or WAVE_FORMAT_EXTENSIBLE. The content decides,
/// not the file name. AIFF and AIFC (uncompressed: NONE/twos/sowt/in24/in32/fl32/fl64) are decoded too, since they
/// differ only in chunk layout and byte order. Memory is one fixed block buffer whatever the header claims; a data chunk that claims more
/// than the file holds, or a streamed file with an unknown size, decodes up to the last complete frame.
/// </summary>
public sealed class WavDecoder : IAudioSource, IDeclaredLength
{
    /// <summary>Bytes read from the stream per refill: large enough to amortise calls, small enough to stay in cache.</summary>
    private const int BlockBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly WavStreamCursor _cursor;
    private readonly WavSampleFormat _format;
    private readonly int _blockAlign;
    private readonly byte[] _buffer;
    private long _dataRemaining;   // sample bytes the header still promises (long.MaxValue when unknown)
    private int _bufferStart;
    private int _bufferEnd;
    private bool _endOfData;
    private bool _disposed;

    private WavDecoder(Stream stream, bool leaveOpen, string name, WavStreamCursor cursor, WavLayout layout)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _cursor = cursor;
        _format = layout.Format;
        _blockAlign = layout.Format.BlockAlign;
        DisplayName = name;
        DataOffset = layout.DataOffset;
        _dataRemaining = layout.DataLength ?? long.MaxValue;
        Format = layout.Container == "RIFF" ? _format.Describe() : $"{layout.Container} {_format.Describe()}";
        TotalFrames = CountFrames(layout, cursor.Length);
        DeclaredFrames = layout.DataLength / layout.Format.BlockAlign;
        _buffer = new byte[Math.Max(1, BlockBytes / _blockAlign) * _blockAlign];
    }

    /// <summary>Opens a file for decoding; the header is read and validated now.</summary>
    public static WavDecoder Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Open(stream, path, leaveOpen: false);
    }

    /// <summary>
    /// Decodes from <paramref name="stream"/> starting at its current position. Seekable streams give exact
    /// <see cref="TotalFrames"/> and faster chunk skipping; pipes work too. <paramref name="displayName"/> names
    /// the source in errors.
    /// </summary>
    public static WavDecoder Open(Stream stream, string displayName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            var cursor = new WavStreamCursor(stream, displayName);
            var layout = WavHeaderParser.Parse(cursor, displayName);
            return new WavDecoder(stream, leaveOpen, displayName, cursor, layout);
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cheap content sniffing: null unless <paramref name="head"/> (the first bytes of a file, a few KB is plenty)
    /// starts like a RIFF/RF64/BW64 WAVE or AIFF/AIFC file; otherwise what the fmt (COMM) chunk says, if it lies
    /// within the bytes given.
    /// </summary>
    public static WavInfo? Probe(ReadOnlySpan<byte> head) => WavProbe.Probe(head);

    public string DisplayName { get; }

    public int SampleRate => _format.SampleRate;

    public int Channels => _format.Channels;

    /// <summary>
    /// Frames in the file: the data size over the block size, capped by what the file really holds when the
    /// stream's length is known; for a streamed file, what the rest of the file holds; null for a pipe of unknown size.
    /// </summary>
    public long? TotalFrames { get; }

    /// <summary>The data chunk's declared size in frames (ds64's for RF64), before capping by the file length; null when unknown.</summary>
    public long? DeclaredFrames { get; }

    /// <summary>Meaningful bits per sample (24 for 24-in-32), not the container size.</summary>
    public int BitsPerSample => _format.ValidBits;

    /// <summary>E.g. "PCM 16-bit", "IEEE float 32-bit", "RF64 PCM 24-bit", "AIFF PCM 16-bit big-endian".</summary>
    public string Format { get; }

    /// <summary>Byte offset of the first sample from the start of the file.</summary>
    public long DataOffset { get; }

    public WavSampleFormat SampleFormat => _format;

    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int channels = _format.Channels;
        int wanted = interleaved.Length / channels;
        int done = 0;
        while (done < wanted)
        {
            int available = (_bufferEnd - _bufferStart) / _blockAlign;
            if (available == 0)
            {
                if (!Refill()) break;
                continue;
            }
            int frames = Math.Min(available, wanted - done);
            int bytes = frames * _blockAlign;
            WavSampleConverter.Convert(_buffer.AsSpan(_bufferStart, bytes), interleaved.Slice(done * channels, frames * channels), _format);
            _bufferStart += bytes;
            done += frames;
        }
        return done;
    }

    /// <summary>
    /// Moves any partial frame to the front and reads more. False at the end of the data; a partial frame left
    /// then (a file cut mid-frame) is dropped.
    /// </summary>
    private bool Refill()
    {
        if (_endOfData) return false;
        int carried = _bufferEnd - _bufferStart;
        if (carried > 0) Buffer.BlockCopy(_buffer, _bufferStart, _buffer, 0, carried);
        _bufferStart = 0;
        _bufferEnd = carried;
        int room = (int)Math.Min(_buffer.Length - carried, _dataRemaining);
        int got = room > 0 ? _cursor.ReadUpTo(_buffer.AsSpan(carried, room)) : 0;
        _bufferEnd += got;
        _dataRemaining -= got;
        if (got < room || _dataRemaining == 0) _endOfData = true;
        return _bufferEnd >= _blockAlign;
    }

    private static long? CountFrames(WavLayout layout, long? fileLength)
    {
        long? bytes = layout.DataLength;
        if (fileLength is long length)
        {
            long present = Math.Max(0, length - layout.DataOffset);
            bytes = bytes is long declared ? Math.Min(declared, present) : present;
        }
        return bytes / layout.Format.BlockAlign;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
    }
}
