namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>Modified Bessel function of the first kind, order 0, for the Kaiser window.</summary>
internal static class BesselI0
{
    /// <summary>
    /// I0(x) = sum_k ((x/2)^2)^k / (k!)^2. Every term is positive, so the plain power series is accurate to a few
    /// ulps for the arguments a Kaiser window uses (|x| below ~30); each term comes from the previous one.
    /// </summary>
    public static double Evaluate(double x)
    {
        double q = 0.25 * x * x;
        double term = 1.0, sum = 1.0;
        for (int k = 1; k < 500; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
            if (term < sum * 1e-18) break;
        }
        return sum;
    }
}
