namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// Inverse quantisation (ISO/IEC 14496-3 4.6.1.3 and 4.6.2.3): |q|^(4/3) for every value an escape codeword can
/// carry (up to 8191), and the band gains 2^((sf - 100) / 4). Both computed once in double precision and rounded to
/// float, the precision the float decoders we compare against keep them in.
/// </summary>
internal static class AacDequantizer
{
    public const int MaxQuantized = 8191;

    /// <summary>|q|^(4/3) for q in 0..8191.</summary>
    public static readonly float[] Pow43 = Build(MaxQuantized + 1, i => Math.Cbrt(i) * i);

    /// <summary>2^(e / 4) for e in -300..+300, indexed by e + 300.</summary>
    private static readonly float[] QuarterPowers = Build(601, i => Math.Pow(2, (i - 300) / 4.0));

    /// <summary>2^(e / 4) as float (e within +-300: every gain the decoder derives lies there).</summary>
    public static float Pow2Quarter(int e) => QuarterPowers[Math.Clamp(e, -300, 300) + 300];

    private static float[] Build(int n, Func<int, double> f)
    {
        var t = new float[n];
        for (int i = 0; i < n; i++) t[i] = (float)f(i);
        return t;
    }
}
