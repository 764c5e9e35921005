namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// The AAC inverse MDCT (ISO/IEC 14496-3 4.6.11.3.1), x[n] = 2/N sum_k X[k] cos(2 pi / N (n + n0)(k + 1/2)) with
/// N = 2M and n0 = (N/2 + 1)/2, computed for the middle half of the output only (n in [N/4, 3N/4)): the other two
/// quarters are mirror images of it, which the windowing (<see cref="AacFilterbank"/>) uses instead of storing them.
/// </summary>
/// <remarks>
/// That half is the reversed, negated DCT-IV of the M coefficients: x[N/4 + i] = -u[M - 1 - i]. The DCT-IV is done
/// with an M/2-point complex FFT: z[p] = (X[2p] + i X[M-1-2p]) t[p], Z = FFT(z), W[q] = Z[q] t[q] with
/// t[j] = exp(-i pi (j + 1/8) / M); then u[2q] = Re W[q] and u[M-1-2q] = -Im W[q]. The output is also divided by
/// 32768, so that full-scale 16-bit PCM maps to [-1, 1] as in float decoders.
/// </remarks>
internal sealed class AacImdct
{
    public const float OutputScale = 1f / 32768f;

    private readonly int _m;
    private readonly AacFft _fft;
    private readonly float[] _twCos, _twSin;           // t[j] (post-twiddle)
    private readonly float[] _preCos, _preSin;         // t[j] * 2/N * OutputScale (pre-twiddle, scaling folded in)
    private readonly float[] _re, _im;

    public AacImdct(int m)
    {
        _m = m;
        int h = m / 2;
        _fft = new AacFft(h);
        _twCos = new float[h]; _twSin = new float[h];
        _preCos = new float[h]; _preSin = new float[h];
        double scale = 1.0 / m / 32768.0;
        for (int j = 0; j < h; j++)
        {
            double a = -Math.PI * (j + 0.125) / m;
            _twCos[j] = (float)Math.Cos(a);
            _twSin[j] = (float)Math.Sin(a);
            _preCos[j] = (float)(Math.Cos(a) * scale);
            _preSin[j] = (float)(Math.Sin(a) * scale);
        }
        _re = new float[h];
        _im = new float[h];
    }

    public int Length => _m;

    /// <summary>Writes the middle half (M samples) of the IMDCT of <paramref name="input"/> (M coefficients) to <paramref name="output"/>.</summary>
    public void TransformHalf(ReadOnlySpan<float> input, Span<float> output)
    {
        int m = _m, h = m / 2;
        var re = _re; var im = _im;
        var rev = _fft.BitReversed;
        for (int p = 0; p < h; p++)
        {
            float a = input[2 * p], b = input[m - 1 - 2 * p];
            float c = _preCos[p], s = _preSin[p];
            int at = rev[p];
            re[at] = a * c - b * s;
            im[at] = a * s + b * c;
        }
        _fft.Transform(re, im);
        for (int q = 0; q < h; q++)
        {
            float c = _twCos[q], s = _twSin[q];
            float wr = re[q] * c - im[q] * s;
            float wi = re[q] * s + im[q] * c;
            // x[N/4 + i] = -u[M-1-i]: u[2q] -> i = M-1-2q, u[M-1-2q] -> i = 2q.
            output[m - 1 - 2 * q] = -wr;
            output[2 * q] = wi;
        }
    }
}
