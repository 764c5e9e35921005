namespace AudioEmbed.Core.Audio;

/// <summary>
/// Wraps any source and delivers mono (<see cref="Downmix.ToMono(ReadOnlySpan{float}, int, Span{float})"/>: the
/// float32 mean of the channels). A mono source is passed through untouched.
/// </summary>
public sealed class MonoDownmixSource : IAudioSource
{
    private readonly IAudioSource _input;
    private readonly bool _leaveOpen;
    private float[] _scratch = Array.Empty<float>();

    public MonoDownmixSource(IAudioSource input, bool leaveOpen = false)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        if (input.Channels <= 0) throw new ArgumentException($"Source reports {input.Channels} channels.", nameof(input));
        _leaveOpen = leaveOpen;
    }

    public int SampleRate => _input.SampleRate;

    public int Channels => 1;

    public long? TotalFrames => _input.TotalFrames;

    public int Read(Span<float> interleaved)
    {
        int channels = _input.Channels;
        if (channels == 1) return _input.Read(interleaved);
        if (interleaved.Length == 0) return 0;
        // Read at most what fits, in blocks of a bounded scratch buffer (grown once, never per call).
        int want = Math.Min(interleaved.Length, 16384);
        if (_scratch.Length < want * channels) _scratch = new float[want * channels];
        int frames = _input.Read(_scratch.AsSpan(0, want * channels));
        if (frames > 0) Downmix.ToMono(_scratch.AsSpan(0, frames * channels), channels, interleaved);
        return frames;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _input.Dispose();
    }
}
