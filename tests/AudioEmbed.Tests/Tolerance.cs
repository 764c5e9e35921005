using Xunit.Sdk;

namespace AudioEmbed.Tests;

/// <summary>Element-wise comparison of float arrays with an absolute and/or relative tolerance; the failure names the worst element.</summary>
public static class Tolerance
{
    public static void AllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double abs, double rel = 0, string what = "values")
    {
        if (expected.Length != actual.Length)
            throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}");
        double worst = 0; int worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(a) && !double.IsNaN(e)) throw new XunitException($"{what}[{i}] is NaN, expected {e}");
            double diff = Math.Abs(e - a);
            double allowed = abs + rel * Math.Abs(e);
            if (diff - allowed > worst) { worst = diff - allowed; worstAt = i; }
        }
        if (worstAt >= 0)
            throw new XunitException($"{what}[{worstAt}]: expected {expected[worstAt]:R}, got {actual[worstAt]:R} (|diff| {Math.Abs(expected[worstAt] - actual[worstAt]):E3} > abs {abs:E1} + rel {rel:E1})");
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}
