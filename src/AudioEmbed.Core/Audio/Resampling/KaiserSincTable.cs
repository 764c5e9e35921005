using System.Collections.Concurrent;

namespace AudioEmbed.Core.Audio.Resampling;

/// <summary>
/// The right half (centre included) of resampy's Kaiser-windowed sinc low-pass, sampled <see cref="Precision"/>
/// times per zero crossing: table[i] = rolloff * sinc(rolloff * i / P) * I0(beta * sqrt(1 - (i/(N-1))^2)) / I0(beta).
/// resampy ships these as float64 arrays; generating them from the parameters reproduces the shipped values to
/// below 1e-15, which keeps the resampled outputs bit-identical.
/// </summary>
internal sealed class KaiserSincTable
{
    private static readonly ConcurrentDictionary<(ResampyFilter, ResampyVersion), Lazy<KaiserSincTable>> Cache = new();

    private KaiserSincTable(int numZeros, int precision, double rolloff, double beta)
    {
        NumZeros = numZeros;
        Precision = precision;
        Rolloff = rolloff;
        Beta = beta;
        Values = Build(numZeros, precision, rolloff, beta);
    }

    public int NumZeros { get; }

    /// <summary>Table steps per zero crossing (resampy's "precision", 2^bits).</summary>
    public int Precision { get; }

    /// <summary>Cut-off as a fraction of the Nyquist frequency.</summary>
    public double Rolloff { get; }

    public double Beta { get; }

    /// <summary>NumZeros * Precision + 1 values; shared, never modified.</summary>
    public double[] Values { get; }

    /// <summary>The table for a filter of a resampy generation, built once per process (the 0.4.2 best table has 409601 entries).</summary>
    public static KaiserSincTable Get(ResampyFilter filter, ResampyVersion version) =>
        Cache.GetOrAdd((filter, version), key => new Lazy<KaiserSincTable>(() => Create(key.Item1, key.Item2))).Value;

    private static KaiserSincTable Create(ResampyFilter filter, ResampyVersion version) => (version, filter) switch
    {
        // 0.2.2 betas are the documented ones; 0.4.2 documents only rounded betas, these were fitted to the shipped tables.
        (ResampyVersion.V0_2_2, ResampyFilter.KaiserBest) => new KaiserSincTable(64, 1 << 9, 0.9475937167399596, 14.769656459379492),
        (ResampyVersion.V0_2_2, ResampyFilter.KaiserFast) => new KaiserSincTable(16, 1 << 9, 0.85, 8.555504641634386),
        (ResampyVersion.V0_4_2, ResampyFilter.KaiserBest) => new KaiserSincTable(50, 1 << 13, 0.9173473712608761, 12.98458524704001),
        (ResampyVersion.V0_4_2, ResampyFilter.KaiserFast) => new KaiserSincTable(24, 1 << 9, 0.8682120388377784, 9.903224416455275),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), $"Unknown resampy filter {filter} / version {version}."),
    };

    private static double[] Build(int numZeros, int precision, double rolloff, double beta)
    {
        int n = numZeros * precision + 1;
        var table = new double[n];
        double i0Beta = BesselI0.Evaluate(beta);
        // numpy's linspace(0, numZeros, n) is i * (numZeros / (n - 1)); that step is 1/precision, a power of two, so exact.
        double step = (double)numZeros / (n - 1);
        for (int i = 0; i < n; i++)
        {
            double z = rolloff * (i * step);
            // np.sinc: sin(pi z) / (pi z), 1 at z = 0.
            double y = Math.PI * z;
            double sinc = i == 0 ? 1.0 : Math.Sin(y) / y;
            // Right half of a symmetric Kaiser window of length 2n - 1 (scipy: (k - alpha) / alpha, squared, with alpha = n - 1).
            double ratio = (double)i / (n - 1);
            double window = BesselI0.Evaluate(beta * Math.Sqrt(1.0 - ratio * ratio)) / i0Beta;
            // resampy multiplies the window into the already scaled sinc: (rolloff * sinc) * window.
            table[i] = rolloff * sinc * window;
        }
        return table;
    }
}
