namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Managed MPEG-1/2/2.5 Layer III decoder. Streams frame by frame from a file or stream with bounded memory:
/// skips ID3v2/ID3v1/APEv2 tags, resynchronises after garbage, joins the bit reservoir across frames, treats a
/// Xing/Info/VBRI frame as metadata and (by default) trims the LAME encoder delay and padding like FFmpeg.
/// Output is float32 at full scale 1.0, not clipped.
/// </summary>
public sealed class Mp3Decoder : IAudioSource, IDeclaredLength
{
    /// <summary>The decoder delay of the standard filterbank that LAME-tag gapless trimming adds to the encoder delay.</summary>
    private const int DecoderDelay = 529;
    /// <summary>Largest frame the reader ever needs in one piece (free format at 640 kbit/s and 32 kHz is 2881 bytes).</summary>
    private const int MaxFrameBytes = 4096;
    /// <summary>How far past the leading tags the first frame may start.</summary>
    private const long InitialScanLimit = 1 << 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly string _name;
    private readonly Mp3ByteBuffer _in;
    private readonly Mp3LayerIII _layer3 = new(MaxFrameBytes);
    private readonly uint _signature;
    private int _freeFormatBytes; // free-format frame length without padding, once measured
    private bool _synced;

    private readonly float[] _pcm;
    private int _pcmPos, _pcmEnd; // in sample frames
    private long _rawPosition;    // sample frames decoded so far (before trimming)
    private readonly long _trimStart;
    private readonly long _trimEnd; // raw sample index where output stops (long.MaxValue when unknown)
    private readonly int _samplesPerFrame;

    private Mp3Decoder(Stream stream, string name, bool gapless, bool leaveOpen)
    {
        _stream = stream;
        _name = name;
        _leaveOpen = leaveOpen;
        _in = new Mp3ByteBuffer(stream);

        var head = _in.Ensure(16);
        if (head == 0) throw new AudioDecodeException(name, "empty file");
        RejectOtherFormats(_in.Span);

        bool sawTag = SkipLeadingTags();
        // A real stream starts within a few kilobytes of its tags; scanning a large non-MP3 file to the end
        // would be slow and could only find chance "frames", so the first search is bounded.
        if (!FindFrame(out var header, out int length, requireConfirmation: true, scanLimit: _in.Position + InitialScanLimit))
            throw new AudioDecodeException(name, sawTag
                ? "no MPEG audio frame found after the tags (no audio)"
                : "not an MPEG audio stream: no valid frame header found");
        if (header.Layer != 3)
            throw new AudioDecodeException(name, $"MPEG audio Layer {(header.Layer == 1 ? "I" : "II")} stream: Layer I/II is not supported", _in.Position);

        _signature = header.StreamSignature;
        SampleRate = header.SampleRate;
        Channels = header.Channels;
        _samplesPerFrame = header.SamplesPerFrame;
        _pcm = new float[_samplesPerFrame * Channels];
        _trimEnd = long.MaxValue;

        var xing = Mp3XingHeader.TryParse(_in.Span.Slice(0, length), header);
        if (xing != null)
        {
            _in.Skip(length); // metadata, not audio
            // A frame count the file cannot hold (no Layer III frame is shorter than 24 bytes) is a corrupt
            // header: ignore it rather than announce a length that callers might allocate for.
            long? stated = xing.Frames;
            if (stated is long f && stream.CanSeek && f > stream.Length / 24 + 1) stated = null;
            if (stated is long frames)
            {
                long raw = frames * _samplesPerFrame;
                TotalFrames = raw;
                if (gapless && xing.EncoderDelay is int delay && xing.EncoderPadding is int padding)
                {
                    _trimStart = delay + DecoderDelay;
                    _trimEnd = raw - padding + DecoderDelay;
                    TotalFrames = Math.Max(0, Math.Min(raw, _trimEnd) - _trimStart);
                }
            }
            else if (gapless && xing.EncoderDelay is int delay)
            {
                _trimStart = delay + DecoderDelay;
            }
        }
        _synced = true;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    public long? TotalFrames { get; }

    /// <summary>The Xing/Info frame count in samples, less the gapless delay and padding: what a complete file decodes to.</summary>
    public long? DeclaredFrames => TotalFrames;

    public static Mp3Decoder Open(string path, bool gapless = true)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioDecodeException(path, "cannot open file: " + e.Message, null, e);
        }
        try
        {
            return new Mp3Decoder(fs, path, gapless, leaveOpen: false);
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    public static Mp3Decoder Open(Stream stream, string displayName, bool gapless = true, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            return new Mp3Decoder(stream, displayName, gapless, leaveOpen);
        }
        catch
        {
            if (!leaveOpen) stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Content sniffing: true for an ID3v2 tag, or for a valid MPEG audio frame header followed by another
    /// valid header of the same stream (within the given bytes) at the position its frame length predicts.
    /// </summary>
    public static bool LooksLikeMp3(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 10 && IsId3v2(head, out _)) return true;
        int limit = Math.Min(head.Length - 4, 8192);
        for (int i = 0; i < limit; i++)
        {
            if (head[i] != 0xFF || !Mp3FrameHeader.TryParse(head.Slice(i), out var h) || h.IsFreeFormat) continue;
            int len = FrameLength(h);
            if (i + len + 4 > head.Length) continue;
            if (Mp3FrameHeader.TryParse(head.Slice(i + len), out var next) && next.StreamSignature == h.StreamSignature) return true;
        }
        return false;
    }

    public int Read(Span<float> interleaved)
    {
        int capacity = interleaved.Length / Channels;
        int written = 0;
        while (written < capacity)
        {
            if (_pcmPos < _pcmEnd)
            {
                int n = Math.Min(capacity - written, _pcmEnd - _pcmPos);
                _pcm.AsSpan(_pcmPos * Channels, n * Channels).CopyTo(interleaved.Slice(written * Channels));
                _pcmPos += n;
                written += n;
                continue;
            }
            if (_rawPosition >= _trimEnd || !DecodeNextFrame()) break;
        }
        return written;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }

    private bool DecodeNextFrame()
    {
        if (!FindFrame(out var header, out int length, requireConfirmation: !_synced))
            return false;
        _synced = true;

        var frame = _in.Array;
        int start = _in.Offset;
        try
        {
            var side = _layer3.ReadSideInfo(frame, start, length, header);
            int sideEnd = 4 + (header.HasCrc ? 2 : 0) + header.SideInfoBytes;
            int mainLength = Math.Max(0, length - sideEnd);

            _layer3.DecodeFrame(header, side, frame.AsSpan(start + Math.Min(sideEnd, length), mainLength), _pcm, Channels);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new AudioDecodeException(_name, "corrupt Layer III frame: " + e.Message, _in.Position, e);
        }
        _in.Skip(length);

        // Gapless trimming: keep the part of this frame inside [_trimStart, _trimEnd).
        long frameStart = _rawPosition;
        _rawPosition += _samplesPerFrame;
        long from = Math.Max(frameStart, _trimStart);
        long to = Math.Min(_rawPosition, _trimEnd);
        _pcmPos = (int)Math.Clamp(from - frameStart, 0, _samplesPerFrame);
        _pcmEnd = (int)Math.Clamp(to - frameStart, _pcmPos, _samplesPerFrame);
        return true;
    }

    /// <summary>
    /// Positions the input at the next frame of the stream and returns its header and length. Tags met on the
    /// way are skipped; when the expected header is not there (garbage, damage) the reader scans forward for a
    /// header that a following header (or the end of the file, or a trailing tag) confirms.
    /// Returns false at the end of the data (a truncated last frame is dropped).
    /// </summary>
    private bool FindFrame(out Mp3FrameHeader header, out int length, bool requireConfirmation, long scanLimit = long.MaxValue)
    {
        header = default;
        length = 0;
        while (true)
        {
            if (_in.Position > scanLimit) return false;
            int avail = _in.Ensure(MaxFrameBytes + 16);
            if (avail < 4) return false;
            var span = _in.Span;

            int tag = TagLengthAt(span);
            if (tag > 0)
            {
                if (scanLimit != long.MaxValue) scanLimit += tag; // tags do not count as scanned garbage
                _in.Skip(tag);
                continue;
            }

            if (Mp3FrameHeader.TryParse(span, out var h) && (_signature == 0 || h.StreamSignature == _signature))
            {
                int len = h.IsFreeFormat ? FreeFormatLength(span, h) : FrameLength(h);
                if (len > 0 && (!requireConfirmation || IsConfirmed(span, h, len)))
                {
                    if (len > avail) return false; // truncated last frame
                    header = h;
                    length = len;
                    return true;
                }
            }

            // Not a frame here: scan forward to the next possible sync byte and require confirmation from now on.
            requireConfirmation = true;
            int next = span.Slice(1).IndexOf((byte)0xFF);
            _in.Skip(next < 0 ? span.Length : next + 1);
        }
    }

    /// <summary>A frame is confirmed when the next one starts where its length says, or the data ends there, or a tag starts there.</summary>
    private bool IsConfirmed(ReadOnlySpan<byte> span, in Mp3FrameHeader h, int len)
    {
        if (len == span.Length) return _in.IsEndAt(len);
        if (len > span.Length) return false;
        var rest = span.Slice(len);
        if (rest.Length >= 3 && (rest.StartsWith("TAG"u8) || rest.StartsWith("ID3"u8))) return true;
        if (rest.StartsWith("APETAGEX"u8)) return true;
        return rest.Length >= 4 && Mp3FrameHeader.TryParse(rest, out var next) && next.StreamSignature == h.StreamSignature;
    }

    private static int FrameLength(in Mp3FrameHeader h)
    {
        if (h.Layer == 1) return (12000 * h.AnyLayerBitrateKbps / h.SampleRate + h.Padding) * 4;
        if (h.Layer == 2) return 144000 * h.AnyLayerBitrateKbps / h.SampleRate + h.Padding;
        return h.FrameBytes;
    }

    /// <summary>Free format: the frame length is the distance to the next header of the same stream, measured once.</summary>
    private int FreeFormatLength(ReadOnlySpan<byte> span, in Mp3FrameHeader h)
    {
        if (_freeFormatBytes > 0) return _freeFormatBytes + h.Padding;
        int minimum = 4 + h.SideInfoBytes;
        for (int p = minimum; p + 4 <= span.Length && p < MaxFrameBytes; p++)
        {
            if (span[p] != 0xFF || !Mp3FrameHeader.TryParse(span.Slice(p), out var next)) continue;
            if (next.StreamSignature != h.StreamSignature) continue;
            _freeFormatBytes = p - h.Padding;
            return p;
        }
        // A single free-format frame running to the end of the data.
        return _in.IsEndAt(span.Length) && span.Length < MaxFrameBytes ? span.Length : 0;
    }

    /// <summary>Length of an ID3v2, ID3v1 or APEv2 tag starting here, or 0.</summary>
    private static int TagLengthAt(ReadOnlySpan<byte> span)
    {
        if (IsId3v2(span, out int id3)) return id3;
        if (span.Length >= 32 && span.StartsWith("APETAGEX"u8))
        {
            uint size = BitConverter.ToUInt32(span.Slice(12, 4));
            uint flags = BitConverter.ToUInt32(span.Slice(20, 4));
            bool isHeader = (flags & (1u << 29)) != 0;
            long total = isHeader ? 32L + size : 32;
            return (int)Math.Min(total, int.MaxValue);
        }
        if (span.Length >= 3 && span.StartsWith("TAG"u8) && !(span[0] == 0xFF)) return Math.Min(128, span.Length);
        return 0;
    }

    private static bool IsId3v2(ReadOnlySpan<byte> span, out int length)
    {
        length = 0;
        if (span.Length < 10 || !span.StartsWith("ID3"u8) || span[3] == 0xFF || span[4] == 0xFF) return false;
        if ((span[6] | span[7] | span[8] | span[9]) >= 0x80) return false;
        int size = span[6] << 21 | span[7] << 14 | span[8] << 7 | span[9];
        bool footer = (span[5] & 0x10) != 0;
        length = 10 + size + (footer ? 10 : 0);
        return true;
    }

    /// <summary>Skips the tags at the start of the file; true if there was at least one.</summary>
    private bool SkipLeadingTags()
    {
        bool any = false;
        while (_in.Ensure(10) >= 10 && IsId3v2(_in.Span, out int len))
        {
            _in.Skip(len);
            any = true;
        }
        return any;
    }

    private void RejectOtherFormats(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("fLaC"u8)) throw new AudioDecodeException(_name, "this is a FLAC stream, not MP3");
        if (head.StartsWith("RIFF"u8)) throw new AudioDecodeException(_name, "this is a RIFF/WAV file, not MP3");
        if (head.StartsWith("OggS"u8)) throw new AudioDecodeException(_name, "this is an Ogg stream, not MP3");
        if (head.Length >= 8 && head.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }))
            throw new AudioDecodeException(_name, "this is a PNG image, not an MPEG audio stream");
    }
}
