namespace AudioEmbed.Core.Audio;

/// <summary>Passes a source through and counts the frames read, so the file's duration is known after a streaming decode.</summary>
public sealed class CountingSource : IAudioSource
{
    private readonly IAudioSource _input;

    public CountingSource(IAudioSource input) => _input = input;

    public long FramesRead { get; private set; }
    public int SampleRate => _input.SampleRate;
    public int Channels => _input.Channels;
    public long? TotalFrames => _input.TotalFrames;

    public int Read(Span<float> interleaved)
    {
        int n = _input.Read(interleaved);
        FramesRead += n;
        return n;
    }

    /// <summary>Leaves the wrapped source open: its owner disposes it.</summary>
    public void Dispose() { }
}
