namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// What a header probe learnt from the first bytes of a file that looks like WAVE.
/// <see cref="Format"/> is null when the fmt chunk lies beyond the bytes given or is unusable;
/// <see cref="Problem"/> then says why, when it is known.
/// </summary>
/// <param name="Container">"RIFF", "RF64", "BW64", "AIFF" or "AIFC".</param>
public sealed record WavInfo(string Container, WavSampleFormat? Format, string? Problem)
{
    public int? SampleRate => Format?.SampleRate;

    public int? Channels => Format?.Channels;

    public int? BitsPerSample => Format?.ValidBits;
}
