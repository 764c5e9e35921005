using System.Diagnostics;

namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// Runs cases of a <see cref="FuzzTarget"/> in a scratch folder, each bounded in time; a case that fails is saved
/// under Fuzz/Regressions/&lt;target&gt;/ in the source tree, where <see cref="FuzzRegressionTests"/> replays it on
/// every run from then on (commit it with the fix).
/// </summary>
public sealed class FuzzRunner : IDisposable
{
    public static string RegressionRoot => Path.Combine(SharedData.RepoRoot, "tests", "AudioEmbed.Tests", "Fuzz", "Regressions");

    private readonly FuzzTarget _target;
    private readonly string _caseDirectory;
    private readonly TimeSpan _caseTimeout;

    public FuzzRunner(FuzzTarget target, TimeSpan? caseTimeout = null)
    {
        _target = target;
        _caseTimeout = caseTimeout ?? TimeSpan.FromSeconds(20);
        _caseDirectory = Path.Combine(Path.GetTempPath(), "audioembed-fuzz-" + target.Name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_caseDirectory);
        foreach (var companion in target.Companions ?? Array.Empty<string[]>())
            File.Copy(SharedData.Require(companion), Path.Combine(_caseDirectory, companion[^1]));
    }

    public void Dispose()
    {
        try { Directory.Delete(_caseDirectory, recursive: true); } catch (IOException) { /* a hung case may still hold it */ }
    }

    /// <summary>Runs one input; null when the reader accepted it or rejected it cleanly, else what went wrong.</summary>
    public string? RunCase(byte[] input)
    {
        string path = Path.Combine(_caseDirectory, _target.FileName);
        File.WriteAllBytes(path, input);
        var task = Task.Run(() => _target.Exercise(path));
        try
        {
            if (!task.Wait(_caseTimeout)) return $"no answer after {_caseTimeout.TotalSeconds:0} s (a hang or a loop)";
            return null;
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner)
        {
            return FuzzTarget.IsCleanRejection(inner) ? null : inner.ToString();
        }
    }

    /// <summary>Mutates the seeds for <paramref name="budget"/> (fixed random seed: the sequence of cases is always the same).</summary>
    public (int Cases, string? Failure) Run(TimeSpan budget, int randomSeed)
    {
        var seeds = _target.Seeds.Select(parts => (Parts: parts, Bytes: FuzzRegression.ReadSeed(parts, _target.MaxSeedBytes))).ToList();
        var rng = new Random(randomSeed);
        var clock = Stopwatch.StartNew();
        int cases = 0;
        while (clock.Elapsed < budget || cases < seeds.Count)
        {
            // Every seed runs once unmutated first: the corpus itself must pass.
            var (parts, bytes) = cases < seeds.Count ? seeds[cases] : seeds[rng.Next(seeds.Count)];
            var (input, ops) = cases < seeds.Count ? (bytes, Array.Empty<MutationOp>()) : ByteMutator.Mutate(bytes, rng);
            cases++;
            var failure = RunCase(input);
            if (failure is null) continue;
            string saved = FuzzRegression.Of(_target, parts, ops, input).Save(RegressionRoot);
            return (cases, $"{_target.Name} case {cases} failed; the input is saved as {saved} (replayed by FuzzRegressionTests from now on):\n{failure}");
        }
        return (cases, null);
    }
}
