using System.Numerics;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Inverse MDCT of Layer III with the four block windows, overlap-add and frequency inversion
/// (ISO/IEC 11172-3 2.4.3.4.10). Long blocks use an 18-point DCT-IV (the 36-point IMDCT output is a
/// signed rearrangement of it); short blocks compute the three 12-point transforms directly.
/// </summary>
internal static class Mp3Imdct
{
    /// <summary>
    /// The 18-point DCT-IV, cos(pi/72 (2m+1)(2k+1)), stored by input column k: [k * Padded + m], each column
    /// zero-padded to a whole number of SIMD vectors so the transform is 18 vector multiply-adds per column.
    /// </summary>
    private static readonly float[] Dct4Columns;
    private static readonly int Padded = (18 + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    /// <summary>Windows for block types 0, 1 and 3 (36 taps each); index 2 unused.</summary>
    private static readonly float[][] LongWindows = new float[4][];

    /// <summary>cos(pi/24 (2i+1+6)(2k+1)) * sin(pi/12 (i+0.5)), [i * 6 + k]: windowed 12-point IMDCT.</summary>
    private static readonly float[] ShortKernel = new float[12 * 6];

    static Mp3Imdct()
    {
        Dct4Columns = new float[18 * Padded];
        for (int m = 0; m < 18; m++)
            for (int k = 0; k < 18; k++)
                Dct4Columns[k * Padded + m] = (float)Math.Cos(Math.PI / 72 * (2 * m + 1) * (2 * k + 1));

        var w0 = new float[36];
        var w1 = new float[36];
        var w3 = new float[36];
        for (int i = 0; i < 36; i++) w0[i] = (float)Math.Sin(Math.PI / 36 * (i + 0.5));
        for (int i = 0; i < 18; i++) w1[i] = w0[i];
        for (int i = 18; i < 24; i++) w1[i] = 1f;
        for (int i = 24; i < 30; i++) w1[i] = (float)Math.Sin(Math.PI / 12 * (i - 18 + 0.5));
        for (int i = 6; i < 12; i++) w3[i] = (float)Math.Sin(Math.PI / 12 * (i - 6 + 0.5));
        for (int i = 12; i < 18; i++) w3[i] = 1f;
        for (int i = 18; i < 36; i++) w3[i] = w0[i];
        LongWindows[0] = w0;
        LongWindows[1] = w1;
        LongWindows[2] = w0;
        LongWindows[3] = w3;

        for (int i = 0; i < 12; i++)
            for (int k = 0; k < 6; k++)
                ShortKernel[i * 6 + k] = (float)(Math.Cos(Math.PI / 24 * (2 * i + 1 + 6) * (2 * k + 1)) * Math.Sin(Math.PI / 12 * (i + 0.5)));
    }

    /// <summary>
    /// Transforms one subband's 18 frequency lines in place into 18 time samples, adding the previous
    /// block's overlap and storing this block's second half into <paramref name="overlap"/>.
    /// </summary>
    public static void Long(Span<float> x, Span<float> overlap, int blockType)
    {
        Span<float> t = stackalloc float[Padded];
        t.Clear();
        var tv = MemoryMarshal.Cast<float, Vector<float>>(t);
        var cols = MemoryMarshal.Cast<float, Vector<float>>(Dct4Columns.AsSpan());
        int perColumn = tv.Length;
        for (int k = 0; k < 18; k++)
        {
            float xk = x[k];
            if (xk == 0) continue;
            var c = cols.Slice(k * perColumn, perColumn);
            for (int v = 0; v < perColumn; v++) tv[v] += c[v] * xk;
        }
        var w = LongWindows[blockType];
        // y[n] = t[n+9] (n<9), -t[26-n] (9<=n<27), -t[n-27] (n>=27)
        for (int n = 0; n < 9; n++) x[n] = t[n + 9] * w[n] + overlap[n];
        for (int n = 9; n < 18; n++) x[n] = -t[26 - n] * w[n] + overlap[n];
        for (int n = 18; n < 27; n++) overlap[n - 18] = -t[26 - n] * w[n];
        for (int n = 27; n < 36; n++) overlap[n - 18] = -t[n - 27] * w[n];
    }

    /// <summary>Short-block version: x holds three interleaved windows (x[3k + w]).</summary>
    public static void Short(Span<float> x, Span<float> overlap)
    {
        Span<float> z = stackalloc float[36];
        z.Clear();
        for (int w = 0; w < 3; w++)
        {
            for (int i = 0; i < 12; i++)
            {
                var row = ShortKernel.AsSpan(i * 6, 6);
                float s = 0;
                for (int k = 0; k < 6; k++) s += row[k] * x[3 * k + w];
                z[6 + 6 * w + i] += s;
            }
        }
        for (int n = 0; n < 18; n++)
        {
            x[n] = z[n] + overlap[n];
            overlap[n] = z[n + 18];
        }
    }

    /// <summary>A subband whose lines are all zero: the output is just the previous overlap.</summary>
    public static void Zero(Span<float> x, Span<float> overlap)
    {
        for (int n = 0; n < 18; n++)
        {
            x[n] = overlap[n];
            overlap[n] = 0;
        }
    }
}
