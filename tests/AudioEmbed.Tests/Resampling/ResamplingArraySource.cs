using AudioEmbed.Core.Audio;

namespace AudioEmbed.Tests.Resampling;

/// <summary>An in-memory source that hands out at most <c>maxFramesPerRead</c> frames per call, like a decoder with small packets.</summary>
internal sealed class ResamplingArraySource : IAudioSource
{
    private readonly float[] _interleaved;
    private readonly int _maxFramesPerRead;
    private readonly bool _reportLength;
    private long _position;

    public ResamplingArraySource(float[] interleaved, int sampleRate, int channels, int maxFramesPerRead = int.MaxValue, bool reportLength = true)
    {
        _interleaved = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
        _maxFramesPerRead = maxFramesPerRead;
        _reportLength = reportLength;
    }

    public int SampleRate { get; }
    public int Channels { get; }
    public long? TotalFrames => _reportLength ? _interleaved.Length / Channels : null;
    public bool Disposed { get; private set; }

    public int Read(Span<float> interleaved)
    {
        long framesLeft = _interleaved.Length / Channels - _position;
        int frames = (int)Math.Min(Math.Min(interleaved.Length / Channels, framesLeft), _maxFramesPerRead);
        _interleaved.AsSpan((int)(_position * Channels), frames * Channels).CopyTo(interleaved);
        _position += frames;
        return frames;
    }

    public void Dispose() => Disposed = true;
}
