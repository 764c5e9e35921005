namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// A raw AAC (.aac, ADTS) file through the managed AAC-LC decoder, one frame at a time (memory: one frame in, 1024
/// decoded frames out). Every frame gives 1024 samples per channel, the encoder's priming frame and the last frame's
/// padding included: raw ADTS has no edit list, and ffmpeg trims nothing from it either (measured with ffmpeg 5.1: a
/// 1 s 44.1 kHz tone encoded by ffmpeg decodes to 45 x 1024 = 46,080 frames), so both decoders give the same samples.
/// A last frame cut short by the end of the file is dropped as ffmpeg drops it, and reported as
/// <see cref="TruncatedAudio"/> through <see cref="DeclaredFrames"/>.
/// </summary>
public sealed class AdtsAudioSource : IAudioSource, IDeclaredLength
{
    private readonly AdtsFrameStream _frames;
    private readonly AacDecoder _decoder;
    private readonly float[] _decoded;
    private int _decodedFrames;
    private int _decodedPosition;
    private long _framesOut;
    private bool _ended;
    private bool _disposed;

    private AdtsAudioSource(AdtsFrameStream frames, AacDecoder decoder)
    {
        _frames = frames;
        _decoder = decoder;
        _decoded = new float[AacDecoder.FrameLength * decoder.Channels];
    }

    public static AdtsAudioSource Open(string path)
    {
        var frames = AdtsFrameStream.Open(path);
        try
        {
            var first = frames.First;
            if (first.ObjectType != AacAudioSpecificConfig.ObjectTypeLc)
                throw new AudioDecodeException(path, $"its ADTS header says {Mp4.Mp4Codecs.AacProfile(first.ObjectType)} (profile {first.Profile}); the managed AAC decoder reads AAC-LC only, decode this file with ffmpeg");
            AacDecoder decoder;
            try { decoder = new AacDecoder(first.AudioSpecificConfig(), path); }
            catch (AudioDecodeException e) when (e.ByteOffset is null) { throw new AudioDecodeException(path, e.Problem, 0, e); }
            return new AdtsAudioSource(frames, decoder);
        }
        catch
        {
            frames.Dispose();
            throw;
        }
    }

    public string Name => _frames.Name;

    public int SampleRate => _decoder.SampleRate;

    public int Channels => _decoder.Channels;

    /// <summary>Unknown until the end: ADTS states no length (Get-AudioFileInfo estimates one).</summary>
    public long? TotalFrames => null;

    /// <summary>Once a cut-short last frame was met: the frames decoded plus the 1024 that frame declares; else null.</summary>
    public long? DeclaredFrames => _frames.CutShort ? _framesOut + AacDecoder.FrameLength : null;

    /// <summary>True once a frame carried SBR data (implicit HE-AAC): only its LC core is decoded.</summary>
    public bool SawSbrPayload => _decoder.SawSbrPayload;

    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int channels = Channels;
        if (interleaved.Length < channels)
            throw new ArgumentException($"the read span ({interleaved.Length} values) cannot hold one frame of {channels} channels", nameof(interleaved));
        int want = interleaved.Length / channels;
        int written = 0;
        while (written < want)
        {
            if (_decodedPosition == _decodedFrames && !NextFrame()) break;
            int n = Math.Min(want - written, _decodedFrames - _decodedPosition);
            _decoded.AsSpan(_decodedPosition * channels, n * channels).CopyTo(interleaved[(written * channels)..]);
            _decodedPosition += n;
            written += n;
        }
        _framesOut += written;
        return written;
    }

    private bool NextFrame()
    {
        if (_ended || !_frames.Next(out var raw))
        {
            _ended = true;
            return false;
        }
        try
        {
            _decodedFrames = _decoder.Decode(raw, _decoded);
        }
        catch (AudioDecodeException e) when (e.ByteOffset is null || e.FilePath != Name)
        {
            throw new AudioDecodeException(Name, e.Problem, e.ByteOffset ?? _frames.FrameOffset, e);
        }
        _decodedPosition = 0;
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _frames.Dispose();
    }
}
