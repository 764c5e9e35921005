namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Analysis windows in double precision. "Periodic" windows (the FFT convention, scipy's <c>fftbins=True</c>,
/// what librosa uses) are the first <c>length</c> points of a symmetric window of <c>length + 1</c>;
/// "symmetric" ones (Kaldi, filter design) end where they start.
/// </summary>
public static class WindowFunctions
{
    /// <summary>Hann: <c>0.5 - 0.5 cos(2 pi k / N)</c> with N = length (periodic) or length - 1 (symmetric).</summary>
    public static double[] Hann(int length, bool periodic = true) => Cosine(length, periodic, 0.5, 0.5);

    /// <summary>Hamming: <c>0.54 - 0.46 cos(2 pi k / N)</c>, N as for <see cref="Hann"/>.</summary>
    public static double[] Hamming(int length, bool periodic = true) => Cosine(length, periodic, 0.54, 0.46);

    /// <summary>Kaldi's "povey" window: the symmetric Hann window raised to the power 0.85.</summary>
    public static double[] Povey(int length)
    {
        var w = Hann(length, periodic: false);
        for (int i = 0; i < w.Length; i++) w[i] = Math.Pow(w[i], 0.85);
        return w;
    }

    /// <summary>All ones.</summary>
    public static double[] Rectangular(int length)
    {
        CheckLength(length);
        var w = new double[length];
        Array.Fill(w, 1.0);
        return w;
    }

    private static double[] Cosine(int length, bool periodic, double a0, double a1)
    {
        CheckLength(length);
        var w = new double[length];
        if (length == 1) { w[0] = 1.0; return w; } // numpy/scipy convention for a one-point window
        double denominator = periodic ? length : length - 1;
        for (int k = 0; k < length; k++)
            w[k] = a0 - a1 * Math.Cos(2.0 * Math.PI * k / denominator);
        return w;
    }

    private static void CheckLength(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "A window needs at least one point.");
    }
}
