namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// Every input a fuzzer ever failed on stays in Fuzz/Regressions/&lt;target&gt;/ and is replayed here on every run:
/// guards against a fixed reader bug coming back. Also checks the harness itself catches what it must.
/// </summary>
public class FuzzRegressionTests
{
    [SkippableFact]
    public void EverySavedRegression_IsNowReadOrRejectedCleanly()
    {
        Skip.IfNot(SharedData.Available, $"../shared is absent ({SharedData.Root}): the targets need their companion files");
        var failures = new List<string>();
        foreach (var dir in Directory.Exists(FuzzRunner.RegressionRoot) ? Directory.GetDirectories(FuzzRunner.RegressionRoot) : Array.Empty<string>())
        {
            var target = FuzzTargets.Get(Path.GetFileName(dir)); // a folder without a target is itself an error
            using var runner = new FuzzRunner(target);
            foreach (var file in Directory.GetFiles(dir, "*.json"))
            {
                var regression = FuzzRegression.Load(file);
                Assert.Equal(target.Name, regression.Target);
                if (runner.RunCase(regression.Rebuild(file)) is { } failure) failures.Add($"{file}: {failure}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void TheHarness_ReportsForeignExceptionsAndHangs_AndAcceptsCleanRejections()
    {
        var crash = new FuzzTarget("self-test-crash", "x.bin", Array.Empty<string[]>(), _ => throw new IndexOutOfRangeException("boom"));
        var hang = new FuzzTarget("self-test-hang", "x.bin", Array.Empty<string[]>(), _ => Thread.Sleep(TimeSpan.FromSeconds(5)));
        var clean = new FuzzTarget("self-test-clean", "x.bin", Array.Empty<string[]>(),
            p => throw new AudioEmbed.Core.Audio.AudioDecodeException(p, "not audio"));

        using (var r = new FuzzRunner(crash)) Assert.Contains("IndexOutOfRangeException", r.RunCase(new byte[] { 1 }));
        using (var r = new FuzzRunner(hang, TimeSpan.FromMilliseconds(200))) Assert.Contains("no answer", r.RunCase(new byte[] { 1 }));
        using (var r = new FuzzRunner(clean)) Assert.Null(r.RunCase(new byte[] { 1 }));
    }

    [Fact]
    public void TheMutator_IsDeterministic_AndChangesItsInput()
    {
        var source = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var a = new Random(7);
        var b = new Random(7);
        int changed = 0;
        for (int i = 0; i < 200; i++)
        {
            var (x, ops) = ByteMutator.Mutate(source, a);
            Assert.Equal(x, ByteMutator.Mutate(source, b).Bytes);
            Assert.Equal(x, ByteMutator.Apply(source, ops)); // what a saved regression replays
            if (!x.AsSpan().SequenceEqual(source)) changed++;
        }
        Assert.True(changed > 190, $"only {changed} of 200 mutations changed the input");
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (byte)i), source); // the seed itself is never modified
    }
}
