namespace AudioEmbed.Bench;

/// <summary>Deterministic test music: a few tones, a sweep and noise, so no codec or resampler path is trivial.</summary>
internal static class Signals
{
    public static float[] Stereo(int sampleRate, double seconds)
    {
        int n = (int)(sampleRate * seconds);
        var x = new float[2 * n];
        var rng = new Random(42);
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            double sweep = Math.Sin(2 * Math.PI * (50 + 4000 * t / seconds) * t);
            double tones = 0.2 * Math.Sin(2 * Math.PI * 220 * t) + 0.1 * Math.Sin(2 * Math.PI * 3300 * t);
            double noise = 0.02 * (rng.NextDouble() - 0.5);
            x[2 * i] = (float)(0.3 * sweep + tones + noise);
            x[2 * i + 1] = (float)(0.3 * sweep - tones + noise);
        }
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
