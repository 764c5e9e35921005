using System.Diagnostics;

namespace AudioEmbed.Bench;

/// <summary>
/// The memory peak of one stretch of work: the process's peak resident set (Linux VmHWM, reset at the start through
/// /proc/self/clear_refs so earlier work such as building a model does not count) and the managed heap's peak,
/// sampled every 10 ms on a background thread.
/// </summary>
internal sealed class MemoryProbe : IDisposable
{
    private readonly Thread _sampler;
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
    private volatile bool _stop;
    private long _peakManaged;

    public MemoryProbe()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        StartWorkingSet = Process.GetCurrentProcess().WorkingSet64;
        // Writing 5 resets the peak RSS (VmHWM) to the current RSS (Linux 4.0+); elsewhere the peak stays process-wide.
        try { File.WriteAllText("/proc/self/clear_refs", "5"); PeakIsReset = true; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        _sampler = new Thread(() =>
        {
            while (!_stop)
            {
                long heap = GC.GetTotalMemory(false);
                if (heap > _peakManaged) _peakManaged = heap;
                Thread.Sleep(10);
            }
        }) { IsBackground = true, Name = "memory probe" };
        _sampler.Start();
    }

    public long StartWorkingSet { get; }
    public bool PeakIsReset { get; }
    public long PeakManaged => Interlocked.Read(ref _peakManaged);
    public long PeakWorkingSet => Process.GetCurrentProcess().PeakWorkingSet64;
    public long Allocated => GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart;

    public void Dispose()
    {
        _stop = true;
        _sampler.Join();
    }
}
