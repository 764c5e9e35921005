namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// A streaming FLAC decoder (RFC 9639), written from the specification. It decodes one frame at a time
/// (memory is bounded by the largest legal block), checks every header CRC-8 and frame CRC-16, and can
/// verify the STREAMINFO MD5 at the end. Output is float32 in [-1, 1): sample / 2^(bits-1).
/// A stream that changes sample rate, channel count or bit depth part-way is rejected with a clear error,
/// never returned as mixed audio. A file cut inside a frame yields the frames before the cut.
/// </summary>
public sealed class FlacDecoder : IAudioSource, IDeclaredLength
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly FlacBitReader _reader;
    private readonly FlacStreamInfo _info;
    private readonly FlacFrameDecoder _frame;
    private readonly FlacMd5? _md5;
    private readonly float _scale;

    private int _blockLength;
    private int _blockPosition;
    private bool _ended;
    private bool _disposed;

    private FlacDecoder(Stream stream, bool leaveOpen, FlacBitReader reader, FlacStreamInfo info, bool verifyMd5)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _reader = reader;
        _info = info;
        _frame = new FlacFrameDecoder(info.Channels);
        _md5 = verifyMd5 && info.HasMd5 ? new FlacMd5(info.BitsPerSample) : null;
        _scale = 1f / (1L << (info.BitsPerSample - 1));
    }

    public int SampleRate => _info.SampleRate;

    public int Channels => _info.Channels;

    /// <summary>STREAMINFO's total sample count per channel; null when it is 0 (unknown) or there is no STREAMINFO.</summary>
    public long? TotalFrames => _info.TotalSamples > 0 ? _info.TotalSamples : null;

    /// <summary>STREAMINFO's total samples: what a complete file decodes to.</summary>
    public long? DeclaredFrames => TotalFrames;

    public int BitsPerSample => _info.BitsPerSample;

    /// <summary>The name used in error messages (the path, or the display name given to <see cref="Open(Stream, string, bool, bool)"/>).</summary>
    public string Name => _reader.Name;

    /// <summary>True once the end was reached inside a frame (a truncated file); the partial frame was dropped.</summary>
    internal bool EndedInsidePartialFrame { get; private set; }

    /// <summary>Header of the last decoded frame, and its length in bytes including the CRC-16 (for tests).</summary>
    internal FlacFrameHeader LastFrame { get; private set; }

    internal long LastFrameLength { get; private set; }

    /// <param name="verifyMd5">
    /// Hash the decoded samples and compare with the STREAMINFO MD5 when the end is reached; a mismatch throws
    /// <see cref="AudioDecodeException"/> from the final <see cref="Read"/>. A stream whose STREAMINFO MD5 is all
    /// zeros (the encoder did not compute one) or that has no STREAMINFO cannot be verified and is decoded as usual.
    /// </param>
    public static FlacDecoder Open(string path, bool verifyMd5 = false)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Open(stream, path, verifyMd5, leaveOpen: false);
    }

    /// <summary>
    /// Opens a FLAC stream at its current position: an optional ID3v2 tag, then "fLaC" and the metadata blocks,
    /// or (as some broadcast captures are) directly a frame header, whose values then define the stream.
    /// </summary>
    public static FlacDecoder Open(Stream stream, string displayName, bool verifyMd5 = false, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            long start = stream.CanSeek ? stream.Position : 0;
            long? length = stream.CanSeek ? stream.Length : null;
            var reader = new FlacBitReader(stream, displayName, start);
            if (reader.Peek(8) == 0) throw new AudioDecodeException(displayName, "empty file");
            try
            {
                FlacMetadataReader.SkipId3v2(reader);
                if (FlacMetadataReader.AtMarker(reader))
                {
                    var info = FlacMetadataReader.ReadMetadata(reader, length);
                    return new FlacDecoder(stream, leaveOpen, reader, info, verifyMd5);
                }
            }
            catch (FlacEndOfDataException e)
            {
                throw new AudioDecodeException(displayName, "the file ends inside its FLAC metadata", e.Offset);
            }
            if (FlacFrameHeader.AtSync(reader)) return OpenAtFrame(stream, leaveOpen, reader, verifyMd5);
            throw new AudioDecodeException(displayName, "not a FLAC stream: no 'fLaC' marker or frame sync code at the start", start);
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) starts with "fLaC", optionally after an ID3v2 tag that fits in it.</summary>
    public static bool LooksLikeFlac(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 10 && head[0] == 'I' && head[1] == 'D' && head[2] == '3')
        {
            if (((head[6] | head[7] | head[8] | head[9]) & 0x80) != 0) return false;
            long size = 10 + ((head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F));
            if ((head[5] & 0x10) != 0) size += 10;
            if (size > head.Length) return false;
            head = head[(int)size..];
        }
        return head.Length >= 4 && head[0] == 'f' && head[1] == 'L' && head[2] == 'a' && head[3] == 'C';
    }

    public int Read(Span<float> interleaved)
    {
        int channels = _info.Channels;
        RequireWholeFrame(interleaved.Length);
        int want = interleaved.Length / channels;
        int written = 0;
        while (written < want && EnsureBlock())
        {
            int n = Math.Min(want - written, _blockLength - _blockPosition);
            var dest = interleaved.Slice(written * channels, n * channels);
            float scale = _scale;
            for (int c = 0; c < channels; c++)
            {
                var src = _frame.Channel(c).AsSpan(_blockPosition, n);
                for (int i = 0, o = c; i < src.Length; i++, o += channels) dest[o] = src[i] * scale;
            }
            _blockPosition += n;
            written += n;
        }
        return written;
    }

    /// <summary>The bit-exact integer path: fills whole interleaved frames of raw samples at the file's bit depth.</summary>
    internal int ReadInt32(Span<int> interleaved)
    {
        int channels = _info.Channels;
        RequireWholeFrame(interleaved.Length);
        int want = interleaved.Length / channels;
        int written = 0;
        while (written < want && EnsureBlock())
        {
            int n = Math.Min(want - written, _blockLength - _blockPosition);
            var dest = interleaved.Slice(written * channels, n * channels);
            for (int c = 0; c < channels; c++)
            {
                var src = _frame.Channel(c).AsSpan(_blockPosition, n);
                for (int i = 0, o = c; i < src.Length; i++, o += channels) dest[o] = (int)src[i];
            }
            _blockPosition += n;
            written += n;
        }
        return written;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _md5?.Dispose();
        if (!_leaveOpen) _stream.Dispose();
    }

    // Returning 0 means "end of stream", so a span too small for one frame is a caller error, not an empty read.
    private void RequireWholeFrame(int length)
    {
        if (length < _info.Channels)
            throw new ArgumentException($"the read span ({length} values) cannot hold one frame of {_info.Channels} channels", "interleaved");
    }

    private static FlacDecoder OpenAtFrame(Stream stream, bool leaveOpen, FlacBitReader reader, bool verifyMd5)
    {
        FlacFrameHeader first;
        try
        {
            reader.BeginFrameCrc();
            first = FlacFrameHeader.Read(reader);
        }
        catch (FlacEndOfDataException e)
        {
            throw new AudioDecodeException(reader.Name, "the file ends inside the first frame header", e.Offset);
        }
        if (first.SampleRate == 0 || first.BitsPerSample == 0)
            throw reader.Fail("stream has no STREAMINFO and its first frame header takes sample rate or bit depth from STREAMINFO", first.Offset);
        var info = new FlacStreamInfo(first.BlockSize, first.BlockSize, first.SampleRate, first.Channels, first.BitsPerSample, 0, new byte[16]);
        var decoder = new FlacDecoder(stream, leaveOpen, reader, info, verifyMd5);
        try
        {
            decoder.DecodeFrameBody(first, beganCrcAt: first.Offset);
        }
        catch
        {
            decoder._md5?.Dispose(); // the stream is left to Open's error handling
            throw;
        }
        return decoder;
    }

    private bool EnsureBlock()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_blockPosition == _blockLength)
        {
            if (_ended || !DecodeNextFrame()) return false;
        }
        return true;
    }

    /// <summary>Decodes the next frame into the block buffers; false at the end of the stream.</summary>
    private bool DecodeNextFrame()
    {
        var r = _reader;
        r.AlignToByte();
        int visible = r.Peek(56);
        if (visible == 0) return Finish();
        if (visible < 16)
        {
            EndedInsidePartialFrame = true; // a byte is left: too short for any frame
            return Finish();
        }
        if (!FlacFrameHeader.AtSync(r))
        {
            if (IsTrailingTag(r.PeekCache, visible)) return Finish();
            throw r.Fail("expected a frame sync code (0xFFF8/0xFFF9) after the previous frame");
        }

        long offset = r.ByteOffset;
        FlacFrameHeader header;
        try
        {
            r.BeginFrameCrc();
            header = FlacFrameHeader.Read(r);
        }
        catch (FlacEndOfDataException)
        {
            EndedInsidePartialFrame = true;
            return Finish();
        }
        return DecodeFrameBody(header, offset);
    }

    private bool DecodeFrameBody(in FlacFrameHeader header, long beganCrcAt)
    {
        var r = _reader;
        int rate = header.SampleRate == 0 ? _info.SampleRate : header.SampleRate;
        int bits = header.BitsPerSample == 0 ? _info.BitsPerSample : header.BitsPerSample;
        if (rate != _info.SampleRate)
            throw r.Fail($"sample rate changes from {_info.SampleRate} Hz to {rate} Hz mid-stream (not supported)", header.Offset);
        if (header.Channels != _info.Channels)
            throw r.Fail($"channel count changes from {_info.Channels} to {header.Channels} mid-stream (not supported)", header.Offset);
        if (bits != _info.BitsPerSample)
            throw r.Fail($"bit depth changes from {_info.BitsPerSample} to {bits} mid-stream (not supported)", header.Offset);

        try
        {
            _frame.DecodeBody(r, header, bits);
        }
        catch (FlacEndOfDataException)
        {
            EndedInsidePartialFrame = true;
            return Finish();
        }
        LastFrame = header;
        LastFrameLength = r.ByteOffset - beganCrcAt;
        _md5?.Append(_frame, _info.Channels, header.BlockSize);
        _blockLength = header.BlockSize;
        _blockPosition = 0;
        return true;
    }

    /// <summary>ID3v1 ("TAG") and APEv2 ("APETAGEX") tags are sometimes appended after the last frame.</summary>
    private static bool IsTrailingTag(ulong peek, int visible) =>
        (visible >= 24 && (peek >> 40) == 0x544147) || (visible >= 56 && (peek >> 8) == 0x41504554414745);

    private bool Finish()
    {
        _ended = true;
        _blockLength = _blockPosition = 0;
        if (_md5 != null)
        {
            var actual = _md5.Finish();
            if (!actual.AsSpan().SequenceEqual(_info.Md5))
            {
                string why = EndedInsidePartialFrame ? " (the stream ends inside a frame, so audio is missing)" : "";
                throw new AudioDecodeException(_reader.Name,
                    $"decoded audio MD5 {Convert.ToHexString(actual).ToLowerInvariant()} differs from STREAMINFO MD5 {Convert.ToHexString(_info.Md5).ToLowerInvariant()}{why}");
            }
        }
        return false;
    }
}
