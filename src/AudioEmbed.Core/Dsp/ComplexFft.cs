using System.Collections.Concurrent;
using System.Runtime.Intrinsics;

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

    // Twiddles of every stage laid out contiguously so the butterfly loops read them in order:
    // entries [h, 2h) hold w_k = exp(-2 pi i k / 2h) for the stage with half-length h (cos, and -sin).
    private readonly double[] _stageCos;
    private readonly double[] _stageSin;
    private readonly int[] _swapPairs; // flattened (i, j) pairs with i < j = bitreverse(i)

    private ComplexFft(int size)
    {
        Size = size;
        _stageCos = new double[Math.Max(size, 1)];
        _stageSin = new double[Math.Max(size, 1)];
        for (int h = 1; h < size; h <<= 1)
        {
            for (int k = 0; k < h; k++)
            {
                // Computed directly (not by recurrence) as entry k * n/2h of a size-n table, so every twiddle
                // is correctly rounded and a given angle has the same value in every stage.
                double angle = 2.0 * Math.PI * (k * (size / (2 * h))) / size;
                _stageCos[h + k] = Math.Cos(angle);
                _stageSin[h + k] = -Math.Sin(angle);
            }
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
        if (n >= 2) FirstStage(re, im);
        for (int len = 4; len <= n; len <<= 1)
        {
            int halfLen = len >> 1;
            var wr = _stageCos.AsSpan(halfLen, halfLen);
            var wi = _stageSin.AsSpan(halfLen, halfLen);
            for (int start = 0; start < n; start += len)
            {
                var aRe = re.Slice(start, halfLen);
                var aIm = im.Slice(start, halfLen);
                var bRe = re.Slice(start + halfLen, halfLen);
                var bIm = im.Slice(start + halfLen, halfLen);
                int k = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    // Same operations as the scalar loop, four butterflies at a time: results are identical.
                    for (; k + 4 <= halfLen; k += 4)
                    {
                        var vwr = Vector256.Create<double>(wr.Slice(k, 4));
                        var vwi = Vector256.Create<double>(wi.Slice(k, 4));
                        var br = Vector256.Create<double>(bRe.Slice(k, 4));
                        var bi = Vector256.Create<double>(bIm.Slice(k, 4));
                        var tr = br * vwr - bi * vwi;
                        var ti = br * vwi + bi * vwr;
                        var ar = Vector256.Create<double>(aRe.Slice(k, 4));
                        var ai = Vector256.Create<double>(aIm.Slice(k, 4));
                        (ar - tr).CopyTo(bRe.Slice(k, 4));
                        (ai - ti).CopyTo(bIm.Slice(k, 4));
                        (ar + tr).CopyTo(aRe.Slice(k, 4));
                        (ai + ti).CopyTo(aIm.Slice(k, 4));
                    }
                }
                for (; k < halfLen; k++)
                {
                    double br = bRe[k], bi = bIm[k];
                    double tr = br * wr[k] - bi * wi[k];
                    double ti = br * wi[k] + bi * wr[k];
                    double ar = aRe[k], ai = aIm[k];
                    bRe[k] = ar - tr; bIm[k] = ai - ti;
                    aRe[k] = ar + tr; aIm[k] = ai + ti;
                }
            }
        }
    }

    /// <summary>Length-2 butterflies: the twiddle is 1, so no multiplications.</summary>
    private static void FirstStage(Span<double> re, Span<double> im)
    {
        for (int a = 0; a + 1 < re.Length; a += 2)
        {
            double ar = re[a], ai = im[a], br = re[a + 1], bi = im[a + 1];
            re[a] = ar + br; im[a] = ai + bi;
            re[a + 1] = ar - br; im[a + 1] = ai - bi;
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
