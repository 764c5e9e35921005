namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// libsoxr's low-pass filter design (its filter.c, version 0.1.3): a Kaiser-windowed sinc whose β and length come
/// from libsoxr's own fitted formulas, and the response model it uses to place pass-band edges. Frequencies are
/// relative to a Nyquist <c>fn</c>; all arithmetic in float64, as libsoxr does.
/// </summary>
internal static class SoxrFilterDesign
{
    /// <summary>20·log10(2): the decibels of one bit.</summary>
    public static readonly double DecibelsPerBit = 20 * Math.Log10(2.0);

    /// <summary>
    /// Kaiser β for a stop-band attenuation (dB) and a transition width: above 60 dB libsoxr interpolates cubic fits
    /// in att between rows picked by log2(tr_bw / 0.0005); below, the classic Kaiser formulas.
    /// </summary>
    public static double KaiserBeta(double att, double trBw)
    {
        if (att >= 60)
        {
            double realm = Math.Log(trBw / .0005) / Math.Log(2.0);
            int r0 = Math.Clamp((int)realm, 0, BetaFits.GetLength(0) - 1);
            int r1 = Math.Clamp(1 + (int)realm, 0, BetaFits.GetLength(0) - 1);
            double b0 = ((BetaFits[r0, 0] * att + BetaFits[r0, 1]) * att + BetaFits[r0, 2]) * att + BetaFits[r0, 3];
            double b1 = ((BetaFits[r1, 0] * att + BetaFits[r1, 1]) * att + BetaFits[r1, 2]) * att + BetaFits[r1, 3];
            return b0 + (b1 - b0) * (realm - (int)realm);
        }
        if (att > 50) return .1102 * (att - 8.7);
        if (att > 20.96) return .58417 * Math.Pow(att - 20.96, .4) + .07886 * (att - 20.96);
        return 0;
    }

    // Cubic fits of β against attenuation, one row per doubling of the transition width from 0.0005 (the last
    // coefficient carries libsoxr's small per-row correction).
    private static readonly double[,] BetaFits =
    {
        { -6.784957e-10, 1.02856e-05, 0.1087556, -0.8988365 + .001 },
        { -6.897885e-10, 1.027433e-05, 0.10876, -0.8994658 + .002 },
        { -1.000683e-09, 1.030092e-05, 0.1087677, -0.9007898 + .003 },
        { -3.654474e-10, 1.040631e-05, 0.1087085, -0.8977766 + .006 },
        { 8.106988e-09, 6.983091e-06, 0.1091387, -0.9172048 + .015 },
        { 9.519571e-09, 7.272678e-06, 0.1090068, -0.9140768 + .025 },
        { -5.626821e-09, 1.342186e-05, 0.1083999, -0.9065452 + .05 },
        { -9.965946e-08, 5.073548e-05, 0.1040967, -0.7672778 + .085 },
        { 1.604808e-07, -5.856462e-05, 0.1185998, -1.34824 + .1 },
        { -1.511964e-07, 6.363034e-05, 0.1064627, -0.9876665 + .18 },
    };

    /// <summary>
    /// The windowed sinc itself: <paramref name="numTaps"/> symmetric taps, cut-off <paramref name="fc"/> (relative to
    /// Nyquist), Kaiser β, window stretched by <paramref name="rho"/> beyond the ends, gain <paramref name="scale"/>.
    /// </summary>
    public static double[] MakeLowPass(int numTaps, double fc, double beta, double rho, double scale)
    {
        int m = numTaps - 1;
        var h = new double[numTaps];
        double mult = scale / BesselI0.Evaluate(beta), mult1 = 1 / (.5 * m + rho);
        for (int i = 0; i <= m / 2; i++)
        {
            double z = i - .5 * m, x = z * Math.PI, y = z * mult1;
            double v = x != 0 ? Math.Sin(fc * x) / x : fc;
            v *= BesselI0.Evaluate(beta * Math.Sqrt(1 - y * y)) * mult;
            h[i] = v;
            h[m - i] = v;
        }
        return h;
    }

    /// <summary>
    /// libsoxr's <c>lsx_design_lpf</c>: pass-band end <paramref name="fp"/>, stop-band start <paramref name="fs"/>, Nyquist
    /// <paramref name="fn"/>. <paramref name="numTaps"/> 0 means estimate it; <paramref name="k"/> &gt; 0 is a phase
    /// count (the length becomes a multiple of k, minus one), k &lt; 0 makes the length 1 modulo −k. Returns null when
    /// <paramref name="fn"/> is negative (a dry run that only sets <paramref name="numTaps"/>).
    /// </summary>
    public static double[]? DesignLowPass(double fp, double fs, double fn, double att, ref int numTaps, int k, double beta)
    {
        int n = numTaps, phases = Math.Max(k, 1), modulo = Math.Max(-k, 1);
        double rho = phases == 1 ? .5 : att < 120 ? .63 : .75;
        fp /= Math.Abs(fn);
        fs /= Math.Abs(fn);
        double trBw = .5 * (fs - fp); // transition width, 6 dB point to stop-band
        trBw /= phases;
        fs /= phases;
        trBw = Math.Min(trBw, .5 * fs);
        double fc = fs - trBw;
        // Kaiser parameters: β from the fit, the length from the attenuation the window needs.
        if (beta < 0) beta = KaiserBeta(att, trBw * .5 / fc);
        double attFactor = att < 60 ? (att - 7.95) / (2.285 * Math.PI * 2)
            : ((.0007528358 - 1.577737e-05 * beta) * beta + .6248022) * beta + .06186902;
        if (numTaps == 0) numTaps = (int)Math.Ceiling(attFactor / trBw + 1);
        if (n == 0)
            numTaps = phases > 1 ? numTaps / phases * phases + phases - 1 : (numTaps + modulo - 2) / modulo * modulo + 1;
        return fn < 0 ? null : MakeLowPass(numTaps, fc, beta, rho, phases);
    }

    private static double SinePhi(double x) => ((2.0517e-07 * x - 1.1303e-04) * x + .023154) * x + .55924;

    private static double SinePow(double x) => Math.Log(.5) / Math.Log(Math.Sin(x * .5));

    /// <summary>
    /// libsoxr's model of where a filter of attenuation <paramref name="a"/> dB has dropped by <paramref name="drop"/> dB,
    /// as a fraction of its transition band (used to keep the −3 dB point and to widen for roll-off).
    /// </summary>
    public static double InverseResponse(double drop, double a)
    {
        double x = SinePhi(a);
        drop = Math.Exp(drop * (Math.Log(10) * 0.05));
        double s = drop > .5 ? 1 - drop : drop;
        x = Math.Asin(Math.Pow(s, 1 / SinePow(x))) / x;
        return drop > .5 ? x : 1 - x;
    }

    /// <summary>Fraction of the transition band at which the response is 3 dB down.</summary>
    public static double To3dB(double a) => 1 - InverseResponse(-3.0, a);
}
