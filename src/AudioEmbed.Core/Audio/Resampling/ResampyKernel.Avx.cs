using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AudioEmbed.Core.Audio.Resampling;

internal sealed partial class ResampyKernel
{
    /// <summary>
    /// Eight outputs as two AVX vectors of four lanes. Each lane performs exactly the scalar operations of
    /// <see cref="AccumulateOne"/> in the same order (separate multiply and add, never fused; the double sum
    /// rounded to float32 after every tap), so results are bit-identical; the vectors only do four lanes per
    /// instruction. Lanes whose wing is longer than the others' finish it in scalar code before their next wing.
    /// </summary>
    private unsafe void AccumulateEightAvx(double* weights, float* x, Taps* taps, Span<float> output)
    {
        var y = stackalloc float[8];

        // Left wing: row from the left offset, input x[n - i].
        double* p0 = weights + taps[0].LeftRow, p1 = weights + taps[1].LeftRow, p2 = weights + taps[2].LeftRow, p3 = weights + taps[3].LeftRow;
        double* p4 = weights + taps[4].LeftRow, p5 = weights + taps[5].LeftRow, p6 = weights + taps[6].LeftRow, p7 = weights + taps[7].LeftRow;
        float* x0 = x + taps[0].Centre, x1 = x + taps[1].Centre, x2 = x + taps[2].Centre, x3 = x + taps[3].Centre;
        float* x4 = x + taps[4].Centre, x5 = x + taps[5].Centre, x6 = x + taps[6].Centre, x7 = x + taps[7].Centre;
        var etaA = Vector256.Create(taps[0].LeftEta, taps[1].LeftEta, taps[2].LeftEta, taps[3].LeftEta);
        var etaB = Vector256.Create(taps[4].LeftEta, taps[5].LeftEta, taps[6].LeftEta, taps[7].LeftEta);
        var yA = Vector128<float>.Zero;
        var yB = Vector128<float>.Zero;
        int common = int.MaxValue, longest = 0;
        for (int lane = 0; lane < 8; lane++) { common = Math.Min(common, taps[lane].LeftCount); longest = Math.Max(longest, taps[lane].LeftCount); }
        for (int i = 0; i < common; i++)
        {
            int o = 2 * i;
            yA = Tap(p0 + o, p1 + o, p2 + o, p3 + o, etaA, Vector128.Create(x0[-i], x1[-i], x2[-i], x3[-i]), yA);
            yB = Tap(p4 + o, p5 + o, p6 + o, p7 + o, etaB, Vector128.Create(x4[-i], x5[-i], x6[-i], x7[-i]), yB);
        }
        yA.Store(y);
        yB.Store(y + 4);
        if (common < longest)
            for (int lane = 0; lane < 8; lane++) y[lane] = LeftTail(weights, x, taps[lane], common, y[lane]);

        // Right wing: row from the right offset, input x[n + 1 + k].
        p0 = weights + taps[0].RightRow; p1 = weights + taps[1].RightRow; p2 = weights + taps[2].RightRow; p3 = weights + taps[3].RightRow;
        p4 = weights + taps[4].RightRow; p5 = weights + taps[5].RightRow; p6 = weights + taps[6].RightRow; p7 = weights + taps[7].RightRow;
        x0++; x1++; x2++; x3++; x4++; x5++; x6++; x7++;
        etaA = Vector256.Create(taps[0].RightEta, taps[1].RightEta, taps[2].RightEta, taps[3].RightEta);
        etaB = Vector256.Create(taps[4].RightEta, taps[5].RightEta, taps[6].RightEta, taps[7].RightEta);
        yA = Vector128.Load(y);
        yB = Vector128.Load(y + 4);
        common = int.MaxValue;
        for (int lane = 0; lane < 8; lane++) common = Math.Min(common, taps[lane].RightCount);
        for (int k = 0; k < common; k++)
        {
            int o = 2 * k;
            yA = Tap(p0 + o, p1 + o, p2 + o, p3 + o, etaA, Vector128.Create(x0[k], x1[k], x2[k], x3[k]), yA);
            yB = Tap(p4 + o, p5 + o, p6 + o, p7 + o, etaB, Vector128.Create(x4[k], x5[k], x6[k], x7[k]), yB);
        }
        yA.Store(y);
        yB.Store(y + 4);
        for (int lane = 0; lane < 8; lane++) output[lane] = RightTail(weights, x, taps[lane], Math.Max(common, 0), y[lane]);
    }

    /// <summary>
    /// One tap in four lanes: y = float32(y + (T + eta * D) * x), with (T, D) of lane j read from row pointer j.
    /// Two 128-bit loads per pair of lanes and an unpack put the four T and the four D side by side.
    /// </summary>
    private static unsafe Vector128<float> Tap(double* a, double* b, double* c, double* d, Vector256<double> eta, Vector128<float> samples, Vector128<float> y)
    {
        var ac = Vector256.Create(Vector128.Load(a), Vector128.Load(c)); // Ta Da | Tc Dc
        var bd = Vector256.Create(Vector128.Load(b), Vector128.Load(d)); // Tb Db | Td Dd
        var table = Avx.UnpackLow(ac, bd);                              // Ta Tb | Tc Td
        var delta = Avx.UnpackHigh(ac, bd);                             // Da Db | Dc Dd
        var weight = Avx.Add(table, Avx.Multiply(eta, delta));
        var sum = Avx.Add(Avx.ConvertToVector256Double(y), Avx.Multiply(weight, Avx.ConvertToVector256Double(samples)));
        return Avx.ConvertToVector128Single(sum);
    }

    private unsafe float LeftTail(double* weights, float* x, in Taps taps, int from, float y)
    {
        double* p = weights + taps.LeftRow + 2 * from;
        float* xi = x + taps.Centre;
        for (int i = from; i < taps.LeftCount; i++, p += 2)
            y = (float)(y + (p[0] + taps.LeftEta * p[1]) * xi[-i]);
        return y;
    }

    private unsafe float RightTail(double* weights, float* x, in Taps taps, int from, float y)
    {
        double* p = weights + taps.RightRow + 2 * from;
        float* xi = x + taps.Centre + 1;
        for (int k = from; k < taps.RightCount; k++, p += 2)
            y = (float)(y + (p[0] + taps.RightEta * p[1]) * xi[k]);
        return y;
    }
}
