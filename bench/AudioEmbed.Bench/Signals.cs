namespace AudioEmbed.Bench;

/// <summary>Deterministic test music: a few tones, a sweep and noise, so no codec or resampler path is trivial.</summary>
internal static class Signals
{
    public static float[] Stereo(int sampleRate, double seconds)
    {
        var music = new StereoMusic(sampleRate, seconds);
        var x = new float[2 * music.Frames];
        music.Fill(x);
        return x;
    }

    /// <summary>The left channel of <see cref="Stereo"/>.</summary>
    public static float[] Mono(int sampleRate, double seconds)
    {
        var stereo = Stereo(sampleRate, seconds);
        var mono = new float[stereo.Length / 2];
        for (int i = 0; i < mono.Length; i++) mono[i] = stereo[2 * i];
        return mono;
    }
}

/// <summary>The test music generated block by block, for files too long to hold in memory.</summary>
internal sealed class StereoMusic(int sampleRate, double seconds)
{
    private readonly Random _rng = new(42);
    private long _next;

    public int SampleRate => sampleRate;
    public long Frames { get; } = (long)(sampleRate * seconds);

    /// <summary>Writes the next frames (interleaved L, R) into <paramref name="interleaved"/>; returns how many frames.</summary>
    public int Fill(Span<float> interleaved)
    {
        int n = (int)Math.Min(interleaved.Length / 2, Frames - _next);
        for (int j = 0; j < n; j++, _next++)
        {
            double t = (double)_next / sampleRate;
            double sweep = Math.Sin(2 * Math.PI * (50 + 4000 * t / seconds) * t);
            double tones = 0.2 * Math.Sin(2 * Math.PI * 220 * t) + 0.1 * Math.Sin(2 * Math.PI * 3300 * t);
            double noise = 0.02 * (_rng.NextDouble() - 0.5);
            interleaved[2 * j] = (float)(0.3 * sweep + tones + noise);
            interleaved[2 * j + 1] = (float)(0.3 * sweep - tones + noise);
        }
        return n;
    }
}
