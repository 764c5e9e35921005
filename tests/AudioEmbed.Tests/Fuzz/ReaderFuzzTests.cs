namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// In-process mutation fuzzing of every reader entry point (see <see cref="FuzzTargets"/>), seeded from the shared
/// corrupt corpus and conformance vectors: about two seconds per target in CI, AUDIOEMBED_FUZZ_SECONDS for a long
/// run. Guards against a crafted or damaged file crashing the pipeline (an exception other than the module's own
/// errors, which name the file), hanging it, or making a reader invent unbounded output.
/// </summary>
public class ReaderFuzzTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [SkippableTheory]
    [MemberData(nameof(Targets))]
    public void MutatedInputs_AreReadOrRejectedCleanly(string target)
    {
        Skip.IfNot(SharedData.Available, $"../shared is absent ({SharedData.Root}): no seeds to fuzz from");
        // AUDIOEMBED_FUZZ_TARGETS=mp4,aac-adts runs a long fuzz on those targets only.
        var only = Environment.GetEnvironmentVariable("AUDIOEMBED_FUZZ_TARGETS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Skip.If(only is { Length: > 0 } && !only.Contains(target), $"AUDIOEMBED_FUZZ_TARGETS names {string.Join(", ", only ?? [])} only");
        using var runner = new FuzzRunner(FuzzTargets.Get(target));
        var (cases, failure) = runner.Run(FuzzBudget.Duration, randomSeed: 20261124);
        Assert.True(failure is null, failure);
        Assert.True(cases > 0);
    }
}
