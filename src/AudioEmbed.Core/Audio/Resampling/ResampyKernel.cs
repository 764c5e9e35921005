using System.Collections.Concurrent;

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
internal sealed class ResampyKernel
{
    private static readonly ConcurrentDictionary<(int, int, ResampyFilter, ResampyVersion), Lazy<ResampyKernel>> Cache = new();

    /// <summary>T'[j] at 2j and D[j] = T'[j+1] - T'[j] at 2j+1: one cache line serves both loads of a tap.</summary>
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
        _timeIncrement = 1.0 / ratio;
        _accumulateTau = version == ResampyVersion.V0_2_2;
        _tableLength = table.Values.Length;

        // Downsampling scales the table by the ratio to keep unity gain at DC (in place in resampy, here a copy).
        var scaled = new double[_tableLength];
        for (int j = 0; j < scaled.Length; j++) scaled[j] = ratio < 1 ? table.Values[j] * ratio : table.Values[j];
        _weights = new double[2 * _tableLength];
        for (int j = 0; j < _tableLength; j++)
        {
            _weights[2 * j] = scaled[j];
            _weights[2 * j + 1] = j + 1 < _tableLength ? scaled[j + 1] - scaled[j] : 0.0;
        }
        MaxTaps = _tableLength / _indexStep;
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
    public int Compute(ReadOnlySpan<float> window, long windowStart, long inputEnd, long maxN, long tEnd,
        ref TauCursor cursor, Span<float> output)
    {
        int count = 0;
        while (count < output.Length && cursor.T < tEnd)
        {
            long n = (long)cursor.Tau;
            if (n > maxN) break;
            output[count++] = ComputeOne(window, windowStart, inputEnd, cursor.Tau);
            Advance(ref cursor);
        }
        return count;
    }

    private float ComputeOne(ReadOnlySpan<float> window, long windowStart, long inputEnd, double tau)
    {
        long n = (long)tau;
        double frac = _scale * (tau - n);
        int centre = (int)(n - windowStart);
        float y = 0f;

        // Left wing: x[n], x[n-1], ... with the table read from the fractional offset.
        double index = frac * _precision;
        int offset = (int)index;
        double eta = index - offset;
        long iMax = Math.Min(n + 1, (_tableLength - offset) / _indexStep);
        for (int i = 0; i < iMax; i++)
        {
            int j = 2 * (offset + i * _indexStep);
            double weight = _weights[j] + eta * _weights[j + 1];
            y = (float)(y + weight * window[centre - i]);
        }

        // Right wing: x[n+1], x[n+2], ... from the complementary offset.
        index = (_scale - frac) * _precision;
        offset = (int)index;
        eta = index - offset;
        long kMax = Math.Min(inputEnd - n - 1, (_tableLength - offset) / _indexStep);
        for (int k = 0; k < kMax; k++)
        {
            int j = 2 * (offset + k * _indexStep);
            double weight = _weights[j] + eta * _weights[j + 1];
            y = (float)(y + weight * window[centre + 1 + k]);
        }
        return y;
    }
}
