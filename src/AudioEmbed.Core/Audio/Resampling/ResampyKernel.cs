using System.Collections.Concurrent;
using System.Runtime.Intrinsics.X86;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>Position of the next output sample: its index and where it sits on the input time axis.</summary>
internal struct TauCursor
{
    public long T;
    public double Tau;
}

/// <summary>
/// resampy's interpolation loop for one (rate in, rate out, filter, generation): the filter table scaled for the
/// ratio, its first differences, and the arithmetic of resampy's loop reproduced exactly (float64 weights, each
/// product added to a float32 accumulator and rounded back to float32, left wing then right wing), so outputs
/// are bit-identical to resampy's. Immutable and shared: the array and streaming resamplers both drive it,
/// which is what keeps them bit-identical to each other.
/// </summary>
internal sealed partial class ResampyKernel
{
    private static readonly ConcurrentDictionary<(int, int, ResampyFilter, ResampyVersion), Lazy<ResampyKernel>> Cache = new();

    /// <summary>Table and differences in polyphase rows, see the constructor.</summary>
    private readonly double[] _weights;
    private readonly int _tableLength;
    private readonly int _precision;
    private readonly int _indexStep;
    private readonly double _scale;
    private readonly double _timeIncrement;
    private readonly bool _accumulateTau;

    private ResampyKernel(int sampleRateIn, int sampleRateOut, ResampyFilter filter, ResampyVersion version)
    {
        SampleRateIn = sampleRateIn;
        SampleRateOut = sampleRateOut;
        Version = version;
        var table = KaiserSincTable.Get(filter, version);
        double ratio = (double)sampleRateOut / sampleRateIn;
        _scale = Math.Min(1.0, ratio);
        _precision = table.Precision;
        _indexStep = (int)(_scale * _precision);
        // resampy divides by this step; below one table step per output sample the filter cannot be applied.
        if (_indexStep < 1)
            throw new ArgumentException($"Resampling {sampleRateIn} Hz to {sampleRateOut} Hz is a ratio below 1/{_precision}, too small for the {filter} filter.", nameof(sampleRateOut));
        _timeIncrement = 1.0 / ratio;
        _accumulateTau = version == ResampyVersion.V0_2_2;
        _tableLength = table.Values.Length;

        // Downsampling scales the table by the ratio to keep unity gain at DC (in place in resampy, here a copy).
        var scaled = new double[_tableLength];
        for (int j = 0; j < scaled.Length; j++) scaled[j] = ratio < 1 ? table.Values[j] * ratio : table.Values[j];
        MaxTaps = _tableLength / _indexStep;

        // Polyphase layout: a wing starting at table offset o (0 <= o <= step) reads T'[o + i * step] for i < MaxTaps at
        // most. Row o stores those taps side by side, each as (T'[j], D[j]) with D[j] = T'[j+1] - T'[j] (0 at the end),
        // so a wing streams through contiguous memory instead of striding across the table (6.5 MB for 0.4.2 best).
        _weights = new double[2L * (_indexStep + 1) * MaxTaps];
        for (int o = 0; o <= _indexStep; o++)
        {
            for (int i = 0; i < MaxTaps; i++)
            {
                int j = o + i * _indexStep;
                if (j >= _tableLength) break;
                int slot = 2 * (o * MaxTaps + i);
                _weights[slot] = scaled[j];
                _weights[slot + 1] = j + 1 < _tableLength ? scaled[j + 1] - scaled[j] : 0.0;
            }
        }
    }

    public int SampleRateIn { get; }
    public int SampleRateOut { get; }
    public ResampyVersion Version { get; }

    /// <summary>Most input samples a wing can reach: an output at input position n uses at most x[n - MaxTaps + 1 .. n + MaxTaps].</summary>
    public int MaxTaps { get; }

    /// <summary>Kernels are cached per rate pair (a handful in practice); the scaled 0.4.2 best table alone is 6.5 MB.</summary>
    public static ResampyKernel Get(int sampleRateIn, int sampleRateOut, ResampyFilter filter, ResampyVersion version) =>
        Cache.GetOrAdd((sampleRateIn, sampleRateOut, filter, version),
            key => new Lazy<ResampyKernel>(() => new ResampyKernel(key.Item1, key.Item2, key.Item3, key.Item4))).Value;

    /// <summary>resampy's output length for <paramref name="inputLength"/> input samples (the formula changed in 0.3).</summary>
    public long OutputLength(long inputLength) => Resampy.OutputLength(inputLength, SampleRateIn, SampleRateOut, Version);

    /// <summary>Moves the cursor to the next output: resampy 0.2 accumulates 1/r in float64, 0.3+ multiplies t by 1/r.</summary>
    public void Advance(ref TauCursor cursor)
    {
        cursor.T++;
        cursor.Tau = _accumulateTau ? cursor.Tau + _timeIncrement : cursor.T * _timeIncrement;
    }

    /// <summary>
    /// Computes consecutive outputs into <paramref name="output"/> starting at <paramref name="cursor"/>, stopping
    /// before output <paramref name="tEnd"/> or before the first output whose input position exceeds
    /// <paramref name="maxN"/>. <paramref name="window"/> holds input samples from absolute index
    /// <paramref name="windowStart"/>; the caller guarantees it covers every sample each output reaches, below
    /// <paramref name="inputEnd"/> (the input length, or any bound past the right wing's reach). Returns the count.
    /// </summary>
    public unsafe int Compute(ReadOnlySpan<float> window, long windowStart, long inputEnd, long maxN, long tEnd,
        ref TauCursor cursor, Span<float> output)
    {
        int count = 0;
        fixed (double* weights = _weights)
        fixed (float* x = window)
        {
            var taps = stackalloc Taps[Lanes];
            while (count < output.Length && cursor.T < tEnd)
            {
                // Eight outputs at a time when all eight are due: their sums are independent, so interleaving them
                // hides the latency of each float32 accumulation chain without changing any operation's order.
                if (output.Length - count >= Lanes && cursor.T + Lanes <= tEnd)
                {
                    var next = cursor;
                    bool ready = true;
                    for (int lane = 0; lane < Lanes; lane++)
                    {
                        if ((long)next.Tau > maxN) { ready = false; break; }
                        taps[lane] = Prepare(next.Tau, window.Length, windowStart, inputEnd);
                        Advance(ref next);
                    }
                    if (ready)
                    {
                        if (Avx.IsSupported && !ForceScalar) AccumulateEightAvx(weights, x, taps, output.Slice(count, Lanes));
                        else
                        {
                            AccumulateFour(weights, x, taps, output.Slice(count, 4));
                            AccumulateFour(weights, x, taps + 4, output.Slice(count + 4, 4));
                        }
                        count += Lanes;
                        cursor = next;
                        continue;
                    }
                }
                if ((long)cursor.Tau > maxN) break;
                var one = Prepare(cursor.Tau, window.Length, windowStart, inputEnd);
                output[count++] = AccumulateOne(weights, x, one);
                Advance(ref cursor);
            }
        }
        return count;
    }

    private const int Lanes = 8;

    /// <summary>Tests set this to run the portable scalar path on machines with AVX (both give identical samples).</summary>
    internal static bool ForceScalar { get; set; }

    /// <summary>Where one output's two wings start in the table and the window, and how many taps each has.</summary>
    private struct Taps
    {
        public int Centre;
        public int LeftCount, RightCount;
        /// <summary>Start of the wing's row in the polyphase weights.</summary>
        public int LeftRow, RightRow;
        public double LeftEta, RightEta;
    }

    private Taps Prepare(double tau, int windowLength, long windowStart, long inputEnd)
    {
        long n = (long)tau;
        double frac = _scale * (tau - n);
        var taps = new Taps();
        double index = frac * _precision;
        int offset = (int)index;
        taps.LeftEta = index - offset;
        taps.LeftCount = (int)Math.Min(n + 1, (_tableLength - offset) / _indexStep);
        taps.LeftRow = 2 * offset * MaxTaps;
        index = (_scale - frac) * _precision;
        int rightOffset = (int)index;
        taps.RightEta = index - rightOffset;
        taps.RightCount = (int)Math.Min(inputEnd - n - 1, (_tableLength - rightOffset) / _indexStep);
        taps.RightRow = 2 * rightOffset * MaxTaps;
        // Both offsets are below scale * precision, so at most step; a row beyond would mean a broken invariant.
        if (offset > _indexStep || rightOffset > _indexStep)
            throw new InvalidOperationException($"Resampler table offset out of range at input position {n}.");
        long centre = n - windowStart;
        // The loops below use raw pointers: refuse (rather than corrupt memory) if a caller's window is short.
        if (centre - taps.LeftCount + 1 < 0 || centre + taps.RightCount >= windowLength || centre >= windowLength)
            throw new InvalidOperationException($"Resampler window [{windowStart}, {windowStart + windowLength}) does not cover the taps of input position {n}.");
        taps.Centre = (int)centre;
        return taps;
    }

    private unsafe float AccumulateOne(double* weights, float* x, in Taps taps)
    {
        const int stride = 2;
        float y = 0f;
        double* p = weights + taps.LeftRow;
        float* xi = x + taps.Centre;
        double eta = taps.LeftEta;
        for (int i = 0; i < taps.LeftCount; i++, p += stride)
            y = (float)(y + (p[0] + eta * p[1]) * xi[-i]);
        p = weights + taps.RightRow;
        xi = x + taps.Centre + 1;
        eta = taps.RightEta;
        for (int k = 0; k < taps.RightCount; k++, p += stride)
            y = (float)(y + (p[0] + eta * p[1]) * xi[k]);
        return y;
    }

    /// <summary>
    /// Portable path (no AVX): four outputs, each summed exactly as <see cref="AccumulateOne"/> does (left wing ascending, then right
    /// wing ascending, float32 accumulator): the common tap counts run interleaved, the at most few extra taps of
    /// a lane run after, still before that lane's right wing.
    /// </summary>
    private unsafe void AccumulateFour(double* weights, float* x, Taps* taps, Span<float> output)
    {
        const int stride = 2;
        float y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;

        double* p0 = weights + taps[0].LeftRow, p1 = weights + taps[1].LeftRow;
        double* p2 = weights + taps[2].LeftRow, p3 = weights + taps[3].LeftRow;
        float* x0 = x + taps[0].Centre, x1 = x + taps[1].Centre, x2 = x + taps[2].Centre, x3 = x + taps[3].Centre;
        double e0 = taps[0].LeftEta, e1 = taps[1].LeftEta, e2 = taps[2].LeftEta, e3 = taps[3].LeftEta;
        int common = Math.Min(Math.Min(taps[0].LeftCount, taps[1].LeftCount), Math.Min(taps[2].LeftCount, taps[3].LeftCount));
        for (int i = 0; i < common; i++)
        {
            y0 = (float)(y0 + (p0[0] + e0 * p0[1]) * x0[-i]);
            y1 = (float)(y1 + (p1[0] + e1 * p1[1]) * x1[-i]);
            y2 = (float)(y2 + (p2[0] + e2 * p2[1]) * x2[-i]);
            y3 = (float)(y3 + (p3[0] + e3 * p3[1]) * x3[-i]);
            p0 += stride; p1 += stride; p2 += stride; p3 += stride;
        }
        for (int i = common; i < taps[0].LeftCount; i++, p0 += stride) y0 = (float)(y0 + (p0[0] + e0 * p0[1]) * x0[-i]);
        for (int i = common; i < taps[1].LeftCount; i++, p1 += stride) y1 = (float)(y1 + (p1[0] + e1 * p1[1]) * x1[-i]);
        for (int i = common; i < taps[2].LeftCount; i++, p2 += stride) y2 = (float)(y2 + (p2[0] + e2 * p2[1]) * x2[-i]);
        for (int i = common; i < taps[3].LeftCount; i++, p3 += stride) y3 = (float)(y3 + (p3[0] + e3 * p3[1]) * x3[-i]);

        p0 = weights + taps[0].RightRow; p1 = weights + taps[1].RightRow;
        p2 = weights + taps[2].RightRow; p3 = weights + taps[3].RightRow;
        x0++; x1++; x2++; x3++;
        e0 = taps[0].RightEta; e1 = taps[1].RightEta; e2 = taps[2].RightEta; e3 = taps[3].RightEta;
        common = Math.Min(Math.Min(taps[0].RightCount, taps[1].RightCount), Math.Min(taps[2].RightCount, taps[3].RightCount));
        for (int k = 0; k < common; k++)
        {
            y0 = (float)(y0 + (p0[0] + e0 * p0[1]) * x0[k]);
            y1 = (float)(y1 + (p1[0] + e1 * p1[1]) * x1[k]);
            y2 = (float)(y2 + (p2[0] + e2 * p2[1]) * x2[k]);
            y3 = (float)(y3 + (p3[0] + e3 * p3[1]) * x3[k]);
            p0 += stride; p1 += stride; p2 += stride; p3 += stride;
        }
        for (int k = common; k < taps[0].RightCount; k++, p0 += stride) y0 = (float)(y0 + (p0[0] + e0 * p0[1]) * x0[k]);
        for (int k = common; k < taps[1].RightCount; k++, p1 += stride) y1 = (float)(y1 + (p1[0] + e1 * p1[1]) * x1[k]);
        for (int k = common; k < taps[2].RightCount; k++, p2 += stride) y2 = (float)(y2 + (p2[0] + e2 * p2[1]) * x2[k]);
        for (int k = common; k < taps[3].RightCount; k++, p3 += stride) y3 = (float)(y3 + (p3[0] + e3 * p3[1]) * x3[k]);

        output[0] = y0; output[1] = y1; output[2] = y2; output[3] = y3;
    }
}
