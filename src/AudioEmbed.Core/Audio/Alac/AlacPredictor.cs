namespace AudioEmbed.Core.Audio.Alac;

/// <summary>
/// ALAC's adaptive FIR predictor: each sample is predicted from the previous ones relative to the oldest in the
/// window, and the coefficients move one step toward reducing the error's sign after every sample (sign-sign LMS).
/// Values wrap and are sign-extended to the channel's width, as in the reference decoder.
/// </summary>
internal static class AlacPredictor
{
    /// <param name="coefs">Coefficients oldest-first (the bitstream gives them newest-first); adapted in place.</param>
    public static void Run(ReadOnlySpan<int> error, Span<int> output, int bits, Span<short> coefs, int order, int quant)
    {
        int n = output.Length;
        if (n == 0) return;
        output[0] = error[0];
        if (n == 1) return;
        if (order == 0)
        {
            error[1..n].CopyTo(output[1..]);
            return;
        }
        int shift = 32 - bits;
        if (order == 31)
        {
            // The "first order" special case: a running sum.
            for (int i = 1; i < n; i++) output[i] = (output[i - 1] + error[i]) << shift >> shift;
            return;
        }
        int warm = Math.Min(order + 1, n);
        for (int i = 1; i < warm; i++) output[i] = (output[i - 1] + error[i]) << shift >> shift;

        int round = 1 << (quant - 1);
        for (int i = order + 1; i < n; i++)
        {
            var window = output.Slice(i - order - 1, order + 1);
            int d = window[0];
            int sum = 0;
            for (int j = 0; j < order; j++) sum += (window[j + 1] - d) * coefs[j];
            int errorValue = error[i];
            int value = (int)(((long)sum + round) >> quant) + d + errorValue;
            output[i] = value << shift >> shift;

            // Adapt: move each coefficient against the error's sign until the error is used up.
            int errorSign = Math.Sign(errorValue);
            if (errorSign != 0)
            {
                uint e = (uint)errorValue;
                for (int j = 0; j < order && (int)(e * (uint)errorSign) > 0; j++)
                {
                    int diff = d - window[j + 1];
                    int sign = Math.Sign(diff) * errorSign;
                    coefs[j] -= (short)sign;
                    diff *= sign;
                    e -= (uint)((diff >> quant) * (j + 1));
                }
            }
        }
    }
}
