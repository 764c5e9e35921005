using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.Downloads;

/// <summary>
/// The loopback servers answer on thread-pool tasks while the download code under test blocks its thread (as a
/// cmdlet does); with other test classes blocking pool threads in parallel on a 2-core machine, the pool can take
/// seconds to add threads, and a 1 s stall limit would then see a starved server as a silent one. Enough ready
/// threads up front make the tests measure the server's silence, not the pool's growth.
/// </summary>
public static class ThreadPoolHeadroom
{
    private static int _done;

    public static void Ensure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}

/// <summary>Reports synchronously on the downloading thread (Progress&lt;T&gt; would post to the pool, later).</summary>
public sealed class InlineProgress : IProgress<InstallProgress>
{
    private readonly Action<InstallProgress> _report;
    public InlineProgress(Action<InstallProgress> report) => _report = report;
    public void Report(InstallProgress value) => _report(value);
}
