namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Restores samples from residuals in place: each sample already holds its residual and gets the
/// prediction from the samples before it added. All arithmetic is 64-bit: a 33-bit side channel times a
/// 15-bit coefficient summed over 32 taps needs up to 53 bits, and 32-bit audio is allowed.
/// </summary>
internal static class FlacPrediction
{
    /// <summary>The fixed polynomial predictors of orders 0-4 (RFC 9639 section 9.2.5).</summary>
    public static void Fixed(Span<long> s, int order)
    {
        switch (order)
        {
            case 0:
                break;
            case 1:
                for (int i = 1; i < s.Length; i++) s[i] += s[i - 1];
                break;
            case 2:
                for (int i = 2; i < s.Length; i++) s[i] += 2 * s[i - 1] - s[i - 2];
                break;
            case 3:
                for (int i = 3; i < s.Length; i++) s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
                break;
            case 4:
                for (int i = 4; i < s.Length; i++) s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(order));
        }
    }

    /// <summary>
    /// Linear prediction (RFC 9639 section 9.2.6): sample[i] += (sum_j coef[j] * sample[i-1-j]) >> shift.
    /// <paramref name="coefs"/> are stored oldest-tap-first (coefs[0] multiplies sample[i-order]) so the inner
    /// loop walks both arrays forwards.
    /// </summary>
    public static void Lpc(Span<long> s, ReadOnlySpan<long> coefs, int shift)
    {
        int order = coefs.Length;
        switch (order)
        {
            case 8: Lpc8(s, coefs, shift); return;
            case 12: Lpc12(s, coefs, shift); return;
        }
        for (int i = order; i < s.Length; i++)
        {
            var window = s.Slice(i - order, order);
            long sum = 0;
            for (int j = 0; j < window.Length; j++) sum += coefs[j] * window[j];
            s[i] += sum >> shift;
        }
    }

    // The two orders encoders pick most (flac -5 uses 8, -8 uses 12), unrolled with the taps in registers.
    private static void Lpc8(Span<long> s, ReadOnlySpan<long> c, int shift)
    {
        long c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
        for (int i = 8; i < s.Length; i++)
        {
            var w = s.Slice(i - 8, 8);
            long sum = c0 * w[0] + c1 * w[1] + c2 * w[2] + c3 * w[3] + c4 * w[4] + c5 * w[5] + c6 * w[6] + c7 * w[7];
            s[i] += sum >> shift;
        }
    }

    private static void Lpc12(Span<long> s, ReadOnlySpan<long> c, int shift)
    {
        long c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5];
        long c6 = c[6], c7 = c[7], c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11];
        for (int i = 12; i < s.Length; i++)
        {
            var w = s.Slice(i - 12, 12);
            long sum = c0 * w[0] + c1 * w[1] + c2 * w[2] + c3 * w[3] + c4 * w[4] + c5 * w[5]
                     + c6 * w[6] + c7 * w[7] + c8 * w[8] + c9 * w[9] + c10 * w[10] + c11 * w[11];
            s[i] += sum >> shift;
        }
    }
}
