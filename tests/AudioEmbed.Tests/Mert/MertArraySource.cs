using AudioEmbed.Core.Audio;

namespace AudioEmbed.Tests.Mert;

/// <summary>An in-memory interleaved source handing out at most <c>maxFramesPerRead</c> frames per call, like a decoder.</summary>
internal sealed class MertArraySource : IAudioSource
{
    private readonly float[] _interleaved;
    private readonly int _maxFramesPerRead;
    private long _position;

    public MertArraySource(float[] interleaved, int sampleRate, int channels = 1, int maxFramesPerRead = 5000)
    {
        _interleaved = interleaved;
        SampleRate = sampleRate;
        Channels = channels;
        _maxFramesPerRead = maxFramesPerRead;
    }

    public int SampleRate { get; }
    public int Channels { get; }
    public long? TotalFrames => _interleaved.Length / Channels;

    public int Read(Span<float> interleaved)
    {
        long left = _interleaved.Length / Channels - _position;
        int frames = (int)Math.Min(Math.Min(interleaved.Length / Channels, left), _maxFramesPerRead);
        _interleaved.AsSpan((int)(_position * Channels), frames * Channels).CopyTo(interleaved);
        _position += frames;
        return frames;
    }

    public void Dispose() { }
}
