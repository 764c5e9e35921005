namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Restores samples from residuals in place: each sample already holds its residual and gets the
/// prediction from the samples before it added. All arithmetic is 64-bit: a 33-bit side channel times a
/// 15-bit coefficient summed over 32 taps needs up to 53 bits, and 32-bit audio is allowed.
/// </summary>
internal static class FlacPrediction
{
    /// <summary>The fixed polynomial predictors of orders 0-4 (RFC 9639 section 9.2.5).</summary>
    public static unsafe void Fixed(Span<long> s, int order)
    {
        if (order > s.Length) throw new ArgumentOutOfRangeException(nameof(order));
        fixed (long* first = s)
        {
            long* end = first + s.Length;
            long* p = first + order;
            switch (order)
            {
                case 0:
                    break;
                case 1:
                    for (; p < end; p++) p[0] += p[-1];
                    break;
                case 2:
                    for (; p < end; p++) p[0] += 2 * p[-1] - p[-2];
                    break;
                case 3:
                    for (; p < end; p++) p[0] += 3 * (p[-1] - p[-2]) + p[-3];
                    break;
                case 4:
                    for (; p < end; p++) p[0] += 4 * (p[-1] + p[-3]) - 6 * p[-2] - p[-4];
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(order));
            }
        }
    }

    /// <summary>
    /// Linear prediction (RFC 9639 section 9.2.6): sample[i] += (sum_j coef[j] * sample[i-1-j]) >> shift.
    /// <paramref name="coefs"/> are stored oldest-tap-first (coefs[0] multiplies sample[i-order]) so the inner
    /// loop walks both arrays forwards.
    /// </summary>
    public static unsafe void Lpc(Span<long> s, ReadOnlySpan<long> coefs, int shift)
    {
        int order = coefs.Length;
        if (order > s.Length) throw new ArgumentOutOfRangeException(nameof(coefs));
        // Orders up to 12 (nearly all real encodes) run through an unrolled 8- or 12-tap loop with the missing
        // oldest taps zero: a few wasted multiplies cost less than a data-dependent inner loop.
        int taps = order <= 8 ? 8 : order <= 12 ? 12 : order;
        Span<long> padded = stackalloc long[32];
        coefs.CopyTo(padded[(taps - order)..]);
        fixed (long* samples = s)
        fixed (long* c = padded)
        {
            long* end = samples + s.Length;
            // Samples order..taps-1 have fewer than `taps` predecessors: the plain loop handles them.
            long* headEnd = samples + Math.Min(taps, s.Length);
            long* cOrder = c + (taps - order);
            for (long* w = samples; w + order < headEnd; w++)
            {
                long sum = 0;
                for (int j = 0; j < order; j++) sum += cOrder[j] * w[j];
                w[order] += sum >> shift;
            }
            if (taps == 8) { Lpc8(samples, end, c, shift); return; }
            if (taps == 12) { Lpc12(samples, end, c, shift); return; }
            for (long* w = samples; w + order < end; w++)
            {
                long sum = 0;
                int j = 0;
                for (; j + 4 <= order; j += 4)
                    sum += c[j] * w[j] + c[j + 1] * w[j + 1] + c[j + 2] * w[j + 2] + c[j + 3] * w[j + 3];
                for (; j < order; j++) sum += c[j] * w[j];
                w[order] += sum >> shift;
            }
        }
    }

    // Unrolled 8- and 12-tap predictors with the taps in registers.
    // w walks the window start; w[order] is the sample being restored.
    private static unsafe void Lpc8(long* w, long* end, long* c, int shift)
    {
        long c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
        for (; w + 8 < end; w++)
        {
            long sum = c0 * w[0] + c1 * w[1] + c2 * w[2] + c3 * w[3] + c4 * w[4] + c5 * w[5] + c6 * w[6] + c7 * w[7];
            w[8] += sum >> shift;
        }
    }

    private static unsafe void Lpc12(long* w, long* end, long* c, int shift)
    {
        long c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5];
        long c6 = c[6], c7 = c[7], c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
        for (; w + 12 < end; w++)
        {
            long sum = c0 * w[0] + c1 * w[1] + c2 * w[2] + c3 * w[3] + c4 * w[4] + c5 * w[5]
                     + c6 * w[6] + c7 * w[7] + c8 * w[8] + c9 * w[9] + c10 * w[10] + c11 * w[11];
            w[12] += sum >> shift;
        }
    }
}
