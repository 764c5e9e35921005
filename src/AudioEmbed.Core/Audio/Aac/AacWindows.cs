using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// The rising halves of the AAC transform windows (ISO/IEC 14496-3 4.6.11.3.2): sine, and Kaiser-Bessel-derived with
/// alpha 4 (long, 1024 taps) and 6 (short, 128 taps). The falling half is the same table read backwards.
/// </summary>
internal static class AacWindows
{
    public static readonly float[] SineLong = Sine(1024);
    public static readonly float[] SineShort = Sine(128);
    public static readonly float[] KbdLong = Kbd(1024, 4);
    public static readonly float[] KbdShort = Kbd(128, 6);

    public static float[] Long(bool kbd) => kbd ? KbdLong : SineLong;

    public static float[] Short(bool kbd) => kbd ? KbdShort : SineShort;

    /// <summary>w[n] = sin(pi/N (n + 1/2)) for the window of length N = 2 * half.</summary>
    private static float[] Sine(int half)
    {
        var w = new float[half];
        for (int n = 0; n < half; n++) w[n] = (float)Math.Sin(Math.PI / (2.0 * half) * (n + 0.5));
        return w;
    }

    /// <summary>
    /// w[n] = sqrt(sum_{p<=n} K[p] / sum_{p<=half} K[p]) with the Kaiser kernel K[p] = I0(pi alpha sqrt(1 - (2p/half - 1)^2)).
    /// </summary>
    private static float[] Kbd(int half, double alpha)
    {
        var kernel = new double[half + 1];
        for (int p = 0; p <= half; p++)
        {
            double r = 2.0 * p / half - 1;
            kernel[p] = BesselI0.Evaluate(Math.PI * alpha * Math.Sqrt(Math.Max(0, 1 - r * r)));
        }
        double total = kernel.Sum();
        var w = new float[half];
        double running = 0;
        for (int n = 0; n < half; n++)
        {
            running += kernel[n];
            w[n] = (float)Math.Sqrt(running / total);
        }
        return w;
    }
}
