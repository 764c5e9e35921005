using NVorbis;

namespace AudioEmbed.Core.Audio.Ogg;

/// <summary>
/// Ogg Vorbis through NVorbis (MIT; measured against ffmpeg in issue #16: within 6e-7 of its float decode, same
/// sample counts, faster than the ffmpeg child). NVorbis reads page by page, so memory stays bounded by one Vorbis
/// block whatever the file length. Clipping is off: like ffmpeg's float output, peaks above full scale are kept.
/// A chained file (logical streams one after another, as internet radio records) decodes as one stream while the
/// rate and channel count stay the same, and is refused when they change; a multiplexed file (several Vorbis
/// streams at once) is refused, since no one stream is "the" audio. Every NVorbis failure becomes an
/// <see cref="AudioDecodeException"/> naming the file.
/// </summary>
public sealed class OggVorbisDecoder : IAudioSource
{
    private readonly VorbisReader _reader;
    private readonly string _name;
    private bool _ended;
    private bool _disposed;

    private OggVorbisDecoder(VorbisReader reader, string name)
    {
        _reader = reader;
        _name = name;
        SampleRate = reader.SampleRate;
        Channels = reader.Channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>The last granule position of the first stream (NVorbis finds it by seeking to the last page); null for a chained file.</summary>
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
            reader = new VorbisReader(stream, closeOnDispose: !leaveOpen) { ClipSamples = false };
            if (reader.Channels < 1 || reader.SampleRate < 1)
                throw new AudioDecodeException(displayName, $"the Vorbis header gives {reader.Channels} channels at {reader.SampleRate} Hz");
            if (reader.Streams.Count > 1)
                throw new AudioDecodeException(displayName, $"the Ogg file multiplexes {reader.Streams.Count} Vorbis streams at once; the managed decoder reads files with one (use -Decoder FFmpeg, which takes the first)");
            var decoder = new OggVorbisDecoder(reader, displayName);
            decoder.TotalFrames = Guard(displayName, () => reader.TotalSamples) is long n and > 0 ? n : null;
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
                int values = _reader.ReadSamples(whole);
                if (values > 0) return values / Channels;
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

    private static T Guard<T>(string name, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (IsDecodeFailure(e)) { throw new AudioDecodeException(name, "the Ogg Vorbis stream is damaged: " + e.Message, inner: e); }
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
