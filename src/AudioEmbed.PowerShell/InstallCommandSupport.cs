using System.Management.Automation;
using AudioEmbed.Core.Store;

namespace AudioEmbed.PowerShell;

internal static class InstallCommandSupport
{
    /// <summary>Install progress written to the cmdlet's progress stream, throttled (a download reports every 64 KiB).</summary>
    public static IProgress<InstallProgress> Progress(Cmdlet cmdlet)
    {
        var throttle = new ProgressThrottle();
        return new SynchronousProgress<InstallProgress>(p => { if (throttle.ShouldReport()) cmdlet.WriteProgress(ToRecord(p)); });
    }

    public static void Completed(Cmdlet cmdlet) =>
        cmdlet.WriteProgress(new ProgressRecord(2, "Installing model", "Done") { RecordType = ProgressRecordType.Completed });

    public static ProgressRecord ToRecord(InstallProgress p)
    {
        var record = new ProgressRecord(2, "Installing model", p.Activity);
        if (p.Total is long total && total > 0)
        {
            record.PercentComplete = (int)Math.Clamp(p.Done * 100 / total, 0, 100);
            record.StatusDescription = $"{p.Activity}: {p.Done / 1048576.0:0.0} of {total / 1048576.0:0.0} MiB";
        }
        return record;
    }
}
