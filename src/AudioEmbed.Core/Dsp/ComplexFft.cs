using System.Collections.Concurrent;

namespace AudioEmbed.Core.Dsp;

/// <summary>
/// In-place radix-2 complex FFT in double precision for one power-of-two size, with its twiddle and
/// bit-reversal tables precomputed once. Instances are immutable and shared per size (<see cref="ForSize"/>),
/// so they are safe to use from several threads at once.
/// </summary>
/// <remarks>
/// Forward transform convention: <c>X[k] = sum_j x[j] exp(-2 pi i j k / n)</c>, unscaled (as numpy/pocketfft).
/// Double precision is deliberate: librosa multiplies float32 audio by a float64 window and numpy's FFT runs
/// in float64, so computing in double and rounding afterwards reproduces its numbers most closely.
/// </remarks>
public sealed class ComplexFft
{
    private static readonly ConcurrentDictionary<int, ComplexFft> Cache = new();

    private readonly double[] _cos; // cos(2 pi k / n), k < n/2
    private readonly double[] _sin; // sin(2 pi k / n), k < n/2
    private readonly int[] _swapPairs; // flattened (i, j) pairs with i < j = bitreverse(i)

    private ComplexFft(int size)
    {
        Size = size;
        int half = size / 2;
        _cos = new double[half];
        _sin = new double[half];
        for (int k = 0; k < half; k++)
        {
            // Computing each twiddle directly (not by recurrence) keeps every one correctly rounded.
            double angle = 2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }

        var pairs = new List<int>();
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            int j = bits == 0 ? 0 : (int)(ReverseBits((uint)i) >> (32 - bits));
            if (i < j) { pairs.Add(i); pairs.Add(j); }
        }
        _swapPairs = pairs.ToArray();
    }

    /// <summary>Number of complex points.</summary>
    public int Size { get; }

    /// <summary>The shared instance for <paramref name="size"/> (a power of two, at least 1).</summary>
    public static ComplexFft ForSize(int size)
    {
        if (size < 1 || !System.Numerics.BitOperations.IsPow2(size))
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two (1, 2, 4, ...).");
        return Cache.GetOrAdd(size, static s => new ComplexFft(s));
    }

    /// <summary>Forward transform of (re, im) in place; both spans must have exactly <see cref="Size"/> elements.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length != Size || im.Length != Size)
            throw new ArgumentException($"FFT of size {Size} needs spans of that length (got {re.Length} and {im.Length}).");

        var pairs = _swapPairs;
        for (int p = 0; p < pairs.Length; p += 2)
        {
            int i = pairs[p], j = pairs[p + 1];
            (re[i], re[j]) = (re[j], re[i]);
            (im[i], im[j]) = (im[j], im[i]);
        }

        int n = Size;
        for (int len = 2; len <= n; len <<= 1)
        {
            int halfLen = len >> 1;
            int stride = n / len; // twiddle step in the size-n table
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < halfLen; k++)
                {
                    double wr = _cos[k * stride], wi = -_sin[k * stride];
                    int a = start + k, b = a + halfLen;
                    double br = re[b], bi = im[b];
                    double tr = br * wr - bi * wi;
                    double ti = br * wi + bi * wr;
                    double ar = re[a], ai = im[a];
                    re[b] = ar - tr; im[b] = ai - ti;
                    re[a] = ar + tr; im[a] = ai + ti;
                }
            }
        }
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
