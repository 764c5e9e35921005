using System.Collections.Concurrent;

namespace AudioEmbed.Core.Dsp;

/// <summary>
/// Forward FFT of a real signal of power-of-two length n (n &gt;= 2), giving the n/2 + 1 one-sided bins
/// (as numpy.fft.rfft). It packs even/odd samples into one complex FFT of size n/2 and separates the two
/// halves afterwards, which halves the work of a full complex transform. Shared per size, thread-safe.
/// </summary>
public sealed class RealFft
{
    private static readonly ConcurrentDictionary<int, RealFft> Cache = new();

    private readonly ComplexFft _half;
    private readonly double[] _cos; // cos(2 pi k / n), k <= n/4
    private readonly double[] _sin;

    private RealFft(int size)
    {
        Size = size;
        _half = ComplexFft.ForSize(size / 2);
        int quarter = size / 4;
        _cos = new double[quarter + 1];
        _sin = new double[quarter + 1];
        for (int k = 0; k <= quarter; k++)
        {
            double angle = 2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }
    }

    /// <summary>Number of real input samples.</summary>
    public int Size { get; }

    /// <summary>Number of output bins, n/2 + 1.</summary>
    public int BinCount => Size / 2 + 1;

    /// <summary>The shared instance for <paramref name="size"/> (a power of two, at least 2).</summary>
    public static RealFft ForSize(int size)
    {
        if (size < 2 || !System.Numerics.BitOperations.IsPow2(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, "Real FFT size must be a power of two, at least 2.");
        return Cache.GetOrAdd(size, static s => new RealFft(s));
    }

    /// <summary>
    /// Transforms <paramref name="input"/> (n samples) into <paramref name="re"/> and <paramref name="im"/>
    /// (n/2 + 1 bins each). The output spans double as the work area, so no memory is allocated.
    /// </summary>
    public void Forward(ReadOnlySpan<double> input, Span<double> re, Span<double> im)
    {
        int m = Size / 2;
        CheckLengths(input.Length, re.Length, im.Length);
        for (int k = 0; k < m; k++)
        {
            re[k] = input[2 * k];
            im[k] = input[2 * k + 1];
        }
        _half.Forward(re[..m], im[..m]);
        Unpack(re, im);
    }

    /// <summary>As <see cref="Forward(ReadOnlySpan{double}, Span{double}, Span{double})"/> for float input (widened exactly to double).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<double> re, Span<double> im)
    {
        int m = Size / 2;
        CheckLengths(input.Length, re.Length, im.Length);
        for (int k = 0; k < m; k++)
        {
            re[k] = input[2 * k];
            im[k] = input[2 * k + 1];
        }
        _half.Forward(re[..m], im[..m]);
        Unpack(re, im);
    }

    private void CheckLengths(int inputLength, int reLength, int imLength)
    {
        if (inputLength != Size)
            throw new ArgumentException($"Real FFT of size {Size} needs {Size} input samples, got {inputLength}.");
        if (reLength != BinCount || imLength != BinCount)
            throw new ArgumentException($"Real FFT of size {Size} writes {BinCount} bins; output spans have {reLength} and {imLength}.");
    }

    /// <summary>
    /// With Z = FFT(z), z[k] = x[2k] + i x[2k+1]: X[k] = E[k] + W^k O[k], where E[k] = (Z[k] + conj Z[m-k]) / 2,
    /// O[k] = (Z[k] - conj Z[m-k]) / 2i and W = exp(-2 pi i / n); and X[m-k] = conj(E[k] - W^k O[k]).
    /// Each pair (k, m-k) is read before either is written, so this runs in place.
    /// </summary>
    private void Unpack(Span<double> re, Span<double> im)
    {
        int m = Size / 2;
        double z0r = re[0], z0i = im[0];
        re[0] = z0r + z0i; im[0] = 0;
        re[m] = z0r - z0i; im[m] = 0;

        for (int k = 1; k <= m / 2; k++)
        {
            int j = m - k;
            double a = re[k], b = im[k], c = re[j], d = im[j];
            double er = 0.5 * (a + c), ei = 0.5 * (b - d);
            double or = 0.5 * (b + d), oi = -0.5 * (a - c);
            double wr = _cos[k], wi = -_sin[k];
            double tr = wr * or - wi * oi;
            double ti = wr * oi + wi * or;
            re[k] = er + tr; im[k] = ei + ti;
            re[j] = er - tr; im[j] = -(ei - ti);
        }
    }
}
