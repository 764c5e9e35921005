using NVorbis;

namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// Ogg Vorbis through NVorbis (MIT; measured against ffmpeg in issue #16: within 6e-7 of its float decode, same
/// sample counts, faster than the ffmpeg child). NVorbis reads page by page, so memory stays bounded by one Vorbis
/// block whatever the file length. Clipping is off: like ffmpeg's float output, peaks above full scale are kept.
/// A chained file (logical streams one after another, as internet radio records) decodes as one stream while the
/// rate and channel count stay the same, and is refused when they change; a multiplexed file (several Vorbis
/// streams at once) is refused, since no one stream is "the" audio. Every NVorbis failure becomes an
/// <see cref="AudioDecodeException"/> naming the file. Pages are CRC-checked first (<see cref="OggPageCheck"/>): a
/// damaged file is refused before NVorbis, which can loop on broken page structure, reads it.
/// </summary>
public sealed class OggVorbisDecoder : IAudioSource
{
    private readonly VorbisReader _reader;
    private readonly string _name;
    private readonly OggPageCheck.Index _index;
    private bool _ended;
    private bool _disposed;

    private OggVorbisDecoder(VorbisReader reader, string name, OggPageCheck.Index index)
    {
        _reader = reader;
        _name = name;
        _index = index;
        SampleRate = reader.SampleRate;
        Channels = reader.Channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>The last granule position of the first stream (from the page check); null for a chained file.</summary>
    public long? TotalFrames { get; private set; }

    /// <summary>Nominal bitrate from the identification header, bits per second; null when the encoder left it 0.</summary>
    public int? NominalBitrate => _reader.NominalBitrate > 0 ? _reader.NominalBitrate : null;

    public static OggVorbisDecoder Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Open(stream, path, leaveOpen: false);
    }

    public static OggVorbisDecoder Open(Stream stream, string displayName, bool leaveOpen = false)
    {
        VorbisReader? reader = null;
        try
        {
            if (!stream.CanSeek) throw new AudioDecodeException(displayName, "the Ogg decoder needs a seekable stream");
            var index = OggPageCheck.Verify(stream, displayName);
            reader = new VorbisReader(new OggEndOfStreamMask(stream, index.EndOfStreamPages), closeOnDispose: !leaveOpen) { ClipSamples = false };
            if (reader.Channels < 1 || reader.SampleRate < 1)
                throw new AudioDecodeException(displayName, $"the Vorbis header gives {reader.Channels} channels at {reader.SampleRate} Hz");
            if (index.Multiplexed || reader.Streams.Count > 1)
                throw new AudioDecodeException(displayName, $"the Ogg file multiplexes {index.Serials.Count} streams at once; the managed decoder reads files with one Vorbis stream, or several one after another (use -Decoder FFmpeg, which takes the first audio stream)");
            var decoder = new OggVorbisDecoder(reader, displayName, index);
            decoder.TotalFrames = decoder.StreamEnd() is long n and > 0 ? n : null;
            return decoder;
        }
        catch (Exception e) when (e is not AudioDecodeException && IsDecodeFailure(e))
        {
            Dispose(reader, stream, leaveOpen);
            throw new AudioDecodeException(displayName, "not a readable Ogg Vorbis stream: " + e.Message, inner: e);
        }
        catch
        {
            Dispose(reader, stream, leaveOpen);
            throw;
        }
    }

    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (interleaved.Length < Channels)
            throw new ArgumentException($"the read span ({interleaved.Length} values) cannot hold one frame of {Channels} channels", nameof(interleaved));
        if (_ended) return 0;
        var whole = interleaved[..(interleaved.Length / Channels * Channels)];
        try
        {
            while (true)
            {
                // Cut at the stream's last granule position (NVorbis's own end trim is masked, see OggEndOfStreamMask).
                long left = StreamEnd() is long end ? end - _reader.SamplePosition : long.MaxValue;
                if (left > 0)
                {
                    int frames = (int)Math.Min(whole.Length / Channels, left);
                    int values = _reader.ReadSamples(whole[..(frames * Channels)]);
                    if (values > 0) return values / Channels;
                }
                if (!NextChainedStream()) { _ended = true; return 0; }
            }
        }
        catch (Exception e) when (e is not AudioDecodeException && IsDecodeFailure(e))
        {
            _ended = true;
            throw new AudioDecodeException(_name, "the Ogg Vorbis data is damaged: " + e.Message, inner: e);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _reader.Dispose();
    }

    /// <summary>At the end of one logical stream: continues with the next chained one when its format is the same.</summary>
    private bool NextChainedStream()
    {
        int current = _reader.StreamIndex;
        if (current + 1 >= _reader.Streams.Count && !_reader.FindNextStream()) return false;
        var next = _reader.Streams[current + 1];
        if (next.SampleRate != SampleRate || next.Channels != Channels)
            throw new AudioDecodeException(_name, $"the chained Ogg file changes from {Channels} channels at {SampleRate} Hz to {next.Channels} channels at {next.SampleRate} Hz part-way; convert it to one format first");
        _reader.SwitchStreams(current + 1);
        _reader.ClipSamples = false;
        TotalFrames = null;
        return true;
    }

    /// <summary>The current logical stream's last granule position (streams are in file order; chained ones one after another).</summary>
    private long? StreamEnd()
    {
        int i = _reader.StreamIndex;
        return i < _index.Serials.Count ? _index.LastGranule[_index.Serials[i]] : null;
    }

    /// <summary>What a third-party decoder throws for bad data; never cancellation, nor an out-of-memory condition.</summary>
    private static bool IsDecodeFailure(Exception e) =>
        e is not (OperationCanceledException or OutOfMemoryException or StackOverflowException or ObjectDisposedException);

    private static void Dispose(VorbisReader? reader, Stream stream, bool leaveOpen)
    {
        try { reader?.Dispose(); } catch (Exception e) when (IsDecodeFailure(e)) { }
        if (!leaveOpen) stream.Dispose();
    }
}
