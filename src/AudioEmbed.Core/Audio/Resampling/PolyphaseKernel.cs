using System.Collections.Concurrent;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// resampy's filter precomputed per output phase, for rational rate ratios: with srOut/srIn = p/q in lowest terms,
/// output t sits at input position t·q/p, so its fractional offset takes only p values. Each phase's taps are the
/// weights resampy's loop would compute (same table, same linear interpolation, in float64), stored as one float32
/// row aligned with x[n − MaxTaps + 1 .. n + MaxTaps]; an output is then a single dot product. Not bit-identical to
/// resampy (float32 weights and a vectorised sum; positions from exact integer arithmetic): within 2e-6, the
/// tolerance the resampy fixtures give for another summation order.
/// </summary>
internal sealed class PolyphaseKernel
{
    /// <summary>Ratios needing more phases than this keep to the exact loop (the table would outgrow its use).</summary>
    private const int MaxPhases = 4096;
    private static readonly ConcurrentDictionary<(int, int, ResampyFilter, ResampyVersion), Lazy<PolyphaseKernel?>> Cache = new();

    private PolyphaseKernel(int sampleRateIn, int sampleRateOut, ResampyFilter filter, ResampyVersion version, int p, int q)
    {
        P = p;
        Q = q;
        var table = KaiserSincTable.Get(filter, version);
        double ratio = (double)sampleRateOut / sampleRateIn;
        double scale = Math.Min(1.0, ratio);
        int precision = table.Precision;
        int step = (int)(scale * precision);
        if (step < 1) throw new ArgumentException($"Resampling {sampleRateIn} Hz to {sampleRateOut} Hz is a ratio too small for the {filter} filter.");
        int n = table.Values.Length;
        var t = new double[n];
        for (int j = 0; j < n; j++) t[j] = ratio < 1 ? table.Values[j] * ratio : table.Values[j];
        double Delta(int j) => j + 1 < n ? t[j + 1] - t[j] : 0.0;
        MaxTaps = n / step;
        Width = 2 * MaxTaps;
        // One extra row, P: offset 1.0. resampy's float64 position can land a hair below an integer k, and its loop
        // then uses n = k − 1 with that offset; because its table stride is int(scale · precision), not the exact
        // spacing, that is not the same sum as n = k with offset 0, so the case needs its own weights.
        Rows = new float[(P + 1) * Width];
        for (int phase = 0; phase <= P; phase++)
        {
            var row = Rows.AsSpan(phase * Width, Width);
            double frac = scale * ((double)phase / P);
            // Left wing: x[n - i], i = 0, 1, ... → row index MaxTaps - 1 - i.
            double index = frac * precision;
            int offset = (int)index;
            double eta = index - offset;
            for (int i = 0; i < (n - offset) / step && i < MaxTaps; i++)
            {
                int j = offset + i * step;
                row[MaxTaps - 1 - i] = (float)(t[j] + eta * Delta(j));
            }
            // Right wing: x[n + 1 + k] → row index MaxTaps + k.
            index = (scale - frac) * precision;
            offset = (int)index;
            eta = index - offset;
            for (int k = 0; k < (n - offset) / step && k < MaxTaps; k++)
            {
                int j = offset + k * step;
                row[MaxTaps + k] = (float)(t[j] + eta * Delta(j));
            }
        }
    }

    /// <summary>Output t uses phase (t·Q) mod P at input position ⌊t·Q / P⌋ (row P: offset 1 at the position before).</summary>
    public int P { get; }
    public int Q { get; }
    public int MaxTaps { get; }
    /// <summary>Taps per row: MaxTaps on each side of the input position.</summary>
    public int Width { get; }
    public float[] Rows { get; }

    /// <summary>The kernel for this conversion, or null when the ratio needs too many phases (use the exact loop).</summary>
    public static PolyphaseKernel? Get(int sampleRateIn, int sampleRateOut, ResampyFilter filter, ResampyVersion version) =>
        Cache.GetOrAdd((sampleRateIn, sampleRateOut, filter, version), key => new Lazy<PolyphaseKernel?>(() =>
        {
            int g = Gcd(key.Item1, key.Item2);
            int p = key.Item2 / g, q = key.Item1 / g;
            return p > MaxPhases ? null : new PolyphaseKernel(key.Item1, key.Item2, key.Item3, key.Item4, p, q);
        })).Value;

    private static int Gcd(int a, int b) { while (b != 0) (a, b) = (b, a % b); return a; }
}
