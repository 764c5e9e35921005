using System.Diagnostics;

namespace AudioEmbed.PowerShell;

/// <summary>Lets a progress update through at most every quarter second: a host redraw per file or per block slows large runs.</summary>
internal sealed class ProgressThrottle
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.FromDays(-1);

    public bool ShouldReport()
    {
        var now = _clock.Elapsed;
        if (now - _last < TimeSpan.FromMilliseconds(250)) return false;
        _last = now;
        return true;
    }
}
