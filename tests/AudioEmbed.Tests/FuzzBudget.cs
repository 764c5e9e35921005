namespace AudioEmbed.Tests;

/// <summary>
/// How long each in-process fuzz test mutates: 2 seconds in CI; set AUDIOEMBED_FUZZ_SECONDS for a longer local
/// run (e.g. AUDIOEMBED_FUZZ_SECONDS=600 dotnet test --filter Fuzz). Seeds stay fixed, so a failure reproduces.
/// </summary>
public static class FuzzBudget
{
    public static TimeSpan Duration { get; } =
        TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("AUDIOEMBED_FUZZ_SECONDS"), out var s) && s > 0 ? s : 2);

    /// <summary>For fuzzers that count cases: the CI count scaled by the requested time.</summary>
    public static int Cases(int casesInTwoSeconds) => (int)Math.Max(casesInTwoSeconds, casesInTwoSeconds * Duration.TotalSeconds / 2);
}
