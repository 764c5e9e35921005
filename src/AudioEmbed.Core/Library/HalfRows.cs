using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Library;

/// <summary>
/// Float32 rows as IEEE binary16 bit patterns, and the dot product of such a row with a float32 query. Values too
/// small for a normal half (|x| &lt; 2⁻¹⁴) are stored as zero: that keeps the decoding to shifts and one exact
/// multiply by 2¹¹², with no subnormal operand anywhere (which some CPUs process a hundred times slower), and the
/// error it adds is counted in the row's measured error like any other rounding.
/// </summary>
public static class HalfRows
{
    private const float Rebias = 5.192296858534828e33f; // 2^112: a half's exponent bias (15) to a float's (127)

    /// <summary>Writes <paramref name="row"/> as half bits (round to nearest even) and returns ‖row − decoded‖₂, in double.</summary>
    public static double Encode(ReadOnlySpan<float> row, Span<ushort> half)
    {
        if (half.Length != row.Length) throw new ArgumentException("one half per value");
        double error = 0;
        for (int i = 0; i < row.Length; i++)
        {
            ushort bits = BitConverter.HalfToUInt16Bits((Half)row[i]);
            if ((bits & 0x7C00) == 0) bits &= 0x8000; // subnormal half: stored as a signed zero
            half[i] = bits;
            double d = (double)row[i] - Decode(bits);
            error += d * d;
        }
        return Math.Sqrt(error);
    }

    /// <summary>The float a stored half stands for (normal halves and zeros: all <see cref="Encode"/> writes).</summary>
    public static float Decode(ushort bits) =>
        BitConverter.UInt32BitsToSingle(((uint)(bits & 0x7FFF) << 13) | ((uint)(bits & 0x8000) << 16)) * Rebias;

    /// <summary>Σ decode(half[j])·query[j] in float32, SIMD (Vector&lt;T&gt;: AVX2 on x64, NEON on Arm).</summary>
    public static float Dot(ReadOnlySpan<ushort> half, ReadOnlySpan<float> query)
    {
        if (half.Length != query.Length) throw new ArgumentException("the row and the query differ in length");
        ref ushort h = ref MemoryMarshal.GetReference(half);
        ref float q = ref MemoryMarshal.GetReference(query);
        int n = half.Length, step = Vector<ushort>.Count, i = 0;
        var acc0 = Vector<float>.Zero;
        var acc1 = Vector<float>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + step <= n; i += step)
            {
                var bits = Vector.LoadUnsafe(ref h, (nuint)i);
                Vector.Widen(bits, out Vector<uint> low, out Vector<uint> high);
                acc0 += Decode(low) * Vector.LoadUnsafe(ref q, (nuint)i);
                acc1 += Decode(high) * Vector.LoadUnsafe(ref q, (nuint)(i + step / 2));
            }
        }
        float sum = Vector.Sum(acc0 + acc1);
        for (; i < n; i++) sum += Decode(Unsafe.Add(ref h, i)) * Unsafe.Add(ref q, i);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Decode(Vector<uint> bits) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(bits & new Vector<uint>(0x7FFF), 13) | Vector.ShiftLeft(bits & new Vector<uint>(0x8000), 16))
        * new Vector<float>(Rebias);
}
