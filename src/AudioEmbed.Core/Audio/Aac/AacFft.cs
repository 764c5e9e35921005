using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// In-place radix-2 complex FFT in single precision for one power-of-two size (the 512- and 64-point transforms
/// inside the AAC IMDCTs), forward sign (exp(-2 pi i jk / n)), unscaled. The input is expected in bit-reversed
/// order (<see cref="BitReversed"/>), which the IMDCT's pre-twiddle writes directly.
/// </summary>
internal sealed class AacFft
{
    private readonly float[] _cos; // [h + k] = cos(2 pi k / 2h) for the stage of half-length h
    private readonly float[] _sin; // [h + k] = -sin(2 pi k / 2h)

    public AacFft(int size)
    {
        Size = size;
        _cos = new float[size];
        _sin = new float[size];
        for (int h = 1; h < size; h <<= 1)
            for (int k = 0; k < h; k++)
            {
                double angle = Math.PI * k / h;
                _cos[h + k] = (float)Math.Cos(angle);
                _sin[h + k] = (float)-Math.Sin(angle);
            }
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        BitReversed = new int[size];
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) if ((i & (1 << b)) != 0) r |= 1 << (bits - 1 - b);
            BitReversed[i] = r;
        }
    }

    public int Size { get; }

    /// <summary>BitReversed[i]: where input element i goes before <see cref="Transform"/>.</summary>
    public int[] BitReversed { get; }

    /// <summary>Transforms (re, im), already permuted into bit-reversed order, in place.</summary>
    public void Transform(Span<float> re, Span<float> im)
    {
        int n = Size;
        for (int a = 0; a < n; a += 2)
        {
            float ar = re[a], ai = im[a], br = re[a + 1], bi = im[a + 1];
            re[a] = ar + br; im[a] = ai + bi;
            re[a + 1] = ar - br; im[a + 1] = ai - bi;
        }
        for (int half = 2; half < n; half <<= 1)
        {
            var wr = _cos.AsSpan(half, half);
            var wi = _sin.AsSpan(half, half);
            for (int start = 0; start < n; start += 2 * half)
            {
                var aRe = re.Slice(start, half);
                var aIm = im.Slice(start, half);
                var bRe = re.Slice(start + half, half);
                var bIm = im.Slice(start + half, half);
                int k = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    // The same operations as the scalar loop, eight butterflies at a time: identical results.
                    ref float ar0 = ref MemoryMarshal.GetReference(aRe), ai0 = ref MemoryMarshal.GetReference(aIm);
                    ref float br0 = ref MemoryMarshal.GetReference(bRe), bi0 = ref MemoryMarshal.GetReference(bIm);
                    ref float wr0 = ref MemoryMarshal.GetReference(wr), wi0 = ref MemoryMarshal.GetReference(wi);
                    for (; k + 8 <= half; k += 8)
                    {
                        nuint at = (nuint)k;
                        var vwr = Vector256.LoadUnsafe(ref wr0, at);
                        var vwi = Vector256.LoadUnsafe(ref wi0, at);
                        var br = Vector256.LoadUnsafe(ref br0, at);
                        var bi = Vector256.LoadUnsafe(ref bi0, at);
                        var tr = br * vwr - bi * vwi;
                        var ti = br * vwi + bi * vwr;
                        var ar = Vector256.LoadUnsafe(ref ar0, at);
                        var ai = Vector256.LoadUnsafe(ref ai0, at);
                        (ar - tr).StoreUnsafe(ref br0, at);
                        (ai - ti).StoreUnsafe(ref bi0, at);
                        (ar + tr).StoreUnsafe(ref ar0, at);
                        (ai + ti).StoreUnsafe(ref ai0, at);
                    }
                }
                for (; k < half; k++)
                {
                    float br = bRe[k], bi = bIm[k];
                    float tr = br * wr[k] - bi * wi[k];
                    float ti = br * wi[k] + bi * wr[k];
                    float ar = aRe[k], ai = aIm[k];
                    bRe[k] = ar - tr; bIm[k] = ai - ti;
                    aRe[k] = ar + tr; aIm[k] = ai + ti;
                }
            }
        }
    }
}
