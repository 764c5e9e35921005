namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Walks the ADTS frames of a .aac file one at a time, from the start or after an ID3v2 tag, reading one frame
/// (at most 8191 bytes, a fixed buffer) at a time whatever the file's length. Frames must agree with the first one
/// (profile, rate, channels); bytes that are not such a frame are skipped to the next one that is, as ffmpeg
/// resynchronises, so junk between frames and trailing tags (ID3v1, APE) end up unread. A last frame that the file
/// cuts short is reported through <see cref="CutShort"/>, not decoded (ffmpeg drops it too).
/// </summary>
internal sealed class AdtsFrameStream : IDisposable
{
    private readonly Stream _stream;
    private readonly long _length;
    private readonly byte[] _frame = new byte[AdtsHeader.MaxFrameLength + 8]; // 8 spare zero bytes for the bit reader

    private AdtsFrameStream(Stream stream, string name, long start, AdtsHeader first)
    {
        _stream = stream;
        Name = name;
        _length = stream.Length;
        First = first;
        stream.Position = start;
    }

    public string Name { get; }

    /// <summary>The first frame's header: the stream's profile, rate and channels.</summary>
    public AdtsHeader First { get; }

    /// <summary>Where the current frame starts (for messages).</summary>
    public long FrameOffset { get; private set; }

    /// <summary>The header of the frame <see cref="Next"/> returned last.</summary>
    public AdtsHeader Current { get; private set; }

    /// <summary>True once the file ended inside a frame whose header declares more bytes than remain.</summary>
    public bool CutShort { get; private set; }

    /// <summary>Opens <paramref name="path"/> at its first ADTS frame (after an ID3v2 tag); an error naming the file when there is none.</summary>
    public static AdtsFrameStream Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            long start = 0;
            Span<byte> head = stackalloc byte[10];
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n == 10 && head[0] == (byte)'I' && head[1] == (byte)'D' && head[2] == (byte)'3')
                start = AudioFormatSniffer.Id3v2Length(head);
            if (start >= stream.Length) throw new AudioDecodeException(path, "the file holds an ID3 tag and no ADTS frame after it", 0);
            stream.Position = start;
            Span<byte> first = stackalloc byte[AdtsHeader.Length];
            if (stream.ReadAtLeast(first, first.Length, throwOnEndOfStream: false) < first.Length || !AdtsHeader.TryParse(first, out var header))
                throw new AudioDecodeException(path, "no ADTS frame header where the raw AAC stream should start", start);
            return new AdtsFrameStream(stream, path, start, header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The next frame's raw data (CRC and header removed; 8 zero bytes follow it in the buffer), or false at the end.</summary>
    public bool Next(out ReadOnlySpan<byte> rawData) => Advance(readPayload: true, out rawData);

    /// <summary>Moves past the next frame reading only its header (<see cref="Current"/>, <see cref="FrameOffset"/>); false at the end.</summary>
    public bool Skip() => Advance(readPayload: false, out _);

    private bool Advance(bool readPayload, out ReadOnlySpan<byte> rawData)
    {
        rawData = default;
        while (true)
        {
            long at = _stream.Position;
            if (at + AdtsHeader.Length > _length)
            {
                // A few bytes left: the start of a frame cut off (its sync is there), or junk.
                if (at < _length && _stream.ReadByte() == 0xFF) CutShort = true;
                return false;
            }
            _stream.ReadExactly(_frame, 0, AdtsHeader.Length);
            if (!AdtsHeader.TryParse(_frame, out var h) || h.StreamKey != First.StreamKey)
            {
                if (!Resync(at + 1)) return false;
                continue;
            }
            if (at + h.FrameLength > _length)
            {
                CutShort = true;
                _stream.Position = _length;
                return false;
            }
            FrameOffset = at;
            Current = h;
            if (!readPayload)
            {
                _stream.Position = at + h.FrameLength;
                return true;
            }
            if (h.RawDataBlocks != 1)
                throw new AudioDecodeException(Name, $"an ADTS frame holds {h.RawDataBlocks} raw data blocks; the managed reader handles one per frame (use -Decoder FFmpeg for this file)", at);
            _stream.ReadExactly(_frame, AdtsHeader.Length, h.FrameLength - AdtsHeader.Length);
            _frame.AsSpan(h.FrameLength, 8).Clear();
            rawData = _frame.AsSpan(h.HeaderBytes, h.FrameLength - h.HeaderBytes);
            return true;
        }
    }

    /// <summary>Moves to the next header from <paramref name="from"/> on that agrees with the first; false when none follows.</summary>
    private bool Resync(long from)
    {
        _stream.Position = from;
        Span<byte> probe = stackalloc byte[AdtsHeader.Length];
        for (long at = from; at + AdtsHeader.Length <= _length; at++)
        {
            _stream.Position = at;
            if (_stream.ReadByte() != 0xFF) continue;
            _stream.Position = at;
            _stream.ReadExactly(probe);
            if (AdtsHeader.TryParse(probe, out var h) && h.StreamKey == First.StreamKey)
            {
                _stream.Position = at;
                return true;
            }
        }
        _stream.Position = _length;
        return false;
    }

    public void Dispose() => _stream.Dispose();
}
