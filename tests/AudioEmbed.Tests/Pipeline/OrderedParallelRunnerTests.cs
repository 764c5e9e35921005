using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.Pipeline;

public class OrderedParallelRunnerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Results_ComeBackInInputOrder_WithErrorsInPlace(int workers)
    {
        var runner = new OrderedParallelRunner<int, int>(workers, (i, _) =>
        {
            Thread.Sleep((i * 7919) % 13); // finish out of order
            if (i % 5 == 3) throw new InvalidDataException($"item {i}");
            return i * i;
        }, CancellationToken.None);
        var results = new List<OrderedParallelRunner<int, int>.Completed>();
        for (int i = 0; i < 40; i++) results.AddRange(runner.Add(i));
        results.AddRange(runner.Drain());

        Assert.Equal(Enumerable.Range(0, 40), results.Select(r => r.Item));
        foreach (var r in results)
        {
            if (r.Item % 5 == 3) Assert.Equal($"item {r.Item}", Assert.IsType<InvalidDataException>(r.Error).Message);
            else Assert.Equal(r.Item * r.Item, r.Result);
        }
    }

    [Fact]
    public void InFlightWork_IsBoundedByTheWindow()
    {
        int running = 0, peak = 0;
        var runner = new OrderedParallelRunner<int, int>(3, (i, _) =>
        {
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            Thread.Sleep(5);
            Interlocked.Decrement(ref running);
            return i;
        }, CancellationToken.None);
        int emitted = 0;
        for (int i = 0; i < 30; i++) emitted += runner.Add(i).Count();
        emitted += runner.Drain().Count();
        Assert.Equal(30, emitted);
        Assert.InRange(peak, 1, 3);
    }

    [Fact]
    public void Workers_ActuallyOverlap()
    {
        // With two workers, two items that each wait for the other to start can both finish; one worker would deadlock.
        using var bothStarted = new CountdownEvent(2);
        var runner = new OrderedParallelRunner<int, bool>(2, (i, _) => { bothStarted.Signal(); return bothStarted.Wait(TimeSpan.FromSeconds(10)); }, CancellationToken.None);
        var results = runner.Add(0).Concat(runner.Add(1)).Concat(runner.Drain()).ToList();
        Assert.All(results, r => Assert.True(r.Result));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
