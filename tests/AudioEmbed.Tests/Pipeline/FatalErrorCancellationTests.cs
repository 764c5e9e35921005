using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.Pipeline;

/// <summary>A fatal error in one item (a device that is gone) cancels the items already in flight and those after it.</summary>
public class FatalErrorCancellationTests
{
    private sealed class DeviceGone : Exception { }

    [Fact]
    public void FatalError_CancelsTheFilesInFlight()
    {
        using var started = new ManualResetEventSlim();
        var runner = new OrderedParallelRunner<int, int>(2, (i, ct) =>
        {
            if (i == 1) { started.Wait(TimeSpan.FromSeconds(10)); throw new DeviceGone(); }
            started.Set();
            // A long file: runs until cancelled (or gives up after 10 s, which fails the test below).
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
            ct.ThrowIfCancellationRequested();
            return i;
        }, CancellationToken.None, isFatal: ex => ex is DeviceGone);

        var results = runner.Add(0).Concat(runner.Add(1)).Concat(runner.Add(2)).Concat(runner.Drain()).ToList();

        Assert.Equal(new[] { 0, 1, 2 }, results.Select(r => r.Item));
        Assert.IsAssignableFrom<OperationCanceledException>(results[0].Error);
        Assert.IsType<DeviceGone>(results[1].Error);
        Assert.IsAssignableFrom<OperationCanceledException>(results[2].Error);
        Assert.True(runner.Stopped);
    }

    [Fact]
    public void OtherErrors_LeaveTheRestRunning()
    {
        var runner = new OrderedParallelRunner<int, int>(2, (i, _) => i == 1 ? throw new InvalidDataException("bad file") : i,
            CancellationToken.None, isFatal: ex => ex is DeviceGone);
        var results = runner.Add(0).Concat(runner.Add(1)).Concat(runner.Add(2)).Concat(runner.Drain()).ToList();
        Assert.Equal(0, results[0].Result);
        Assert.IsType<InvalidDataException>(results[1].Error);
        Assert.Equal(2, results[2].Result);
        Assert.False(runner.Stopped);
    }
}
