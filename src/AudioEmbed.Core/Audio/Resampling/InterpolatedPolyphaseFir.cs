namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// libsoxr's polyphase stage for a ratio that is not a small fraction: a filter tabulated at 2^PhaseBits phases per
/// input sample, each tap stored with polynomial coefficients (order 1 or 2, from its neighbours in the fine
/// filter) so that the tap at any fractional position between two phases is a + b·x (+ c·x²). Output i sits at the
/// 32.32 fixed-point position Start + i·Step in the input (libsoxr's clock); its integer part picks the window, the
/// top PhaseBits of the fraction the phase, the remaining bits x. All in float32, as libsoxr's engine computes it.
/// </summary>
internal sealed class InterpolatedPolyphaseFir : IResamplingStage
{
    /// <param name="coefficients">[phase][tap][order + 1]: for tap m of a phase, the constant term first.</param>
    public InterpolatedPolyphaseFir(int phaseBits, int order, int taps, float[] coefficients, long start, long step, int leadingZeros)
    {
        PhaseBits = phaseBits;
        Order = order;
        Taps = taps;
        Coefficients = coefficients;
        Start = start;
        Step = step;
        LeadingZeros = leadingZeros;
    }

    public int PhaseBits { get; }
    public int Order { get; }
    /// <summary>Window length in input samples.</summary>
    public int Taps { get; }
    public float[] Coefficients { get; }
    /// <summary>Position of output 0 in 1/2^32 input samples, relative to the window start of the padded input.</summary>
    public long Start { get; }
    /// <summary>Input advance per output in 1/2^32 input samples.</summary>
    public long Step { get; }
    /// <summary>Zeros in front of the input (libsoxr's FIFO pre-load), which centre the filter on the output position.</summary>
    public int LeadingZeros { get; }

    public IAudioSource Open(IAudioSource input, int sampleRateOut) => new InterpolatedPolyphaseSource(input, sampleRateOut, this);

    /// <summary>
    /// Taps from a filter of numCoefs·phases − 1 coefficients (libsoxr's <c>prepare_poly_fir_coefs</c>): with
    /// f(k) = h[k − 1] (f(0) = 0, beyond the end 0), phase j's tap for window position m = width − 1 − i is f(i·P + j),
    /// interpolated towards f(i·P + j + 1) and, for order 2, f(i·P + j + 2).
    /// </summary>
    public static float[] BuildCoefficients(double[] h, int numCoefs, int phases, int width, int order)
    {
        double F(long k) => k >= 1 && k - 1 < h.Length ? h[k - 1] : 0.0;
        var result = new float[phases * width * (order + 1)];
        for (int i = 0; i < numCoefs; i++)
        for (int j = 0; j < phases; j++)
        {
            long k = (long)i * phases + j;
            double f0 = F(k), f1 = F(k + 1), f2 = F(k + 2);
            double b, c = 0;
            if (order == 1) b = f1 - f0;
            else { c = .5 * (f2 + f0) - f1; b = f1 - c - f0; }
            int at = ((j * width) + (width - 1 - i)) * (order + 1);
            result[at] = (float)f0;
            result[at + 1] = (float)b;
            if (order == 2) result[at + 2] = (float)c;
        }
        return result;
    }
}
