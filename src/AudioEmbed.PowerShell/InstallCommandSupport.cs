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

    /// <summary>Says how each file was obtained and checked: the cache use on the host, one warning for what only the hub vouches for.</summary>
    public static void ReportSources(Cmdlet cmdlet, InstalledModel installed)
    {
        var m = installed.Manifest;
        var fromCache = m.Sources.Where(s => s.Via == SourceVia.HuggingFaceCache).ToList();
        if (fromCache.Count > 0)
            cmdlet.WriteInformation(new HostInformationMessage { Message = $"{m.Family} {m.Variant}: {string.Join(", ", fromCache.Select(s => s.Name))} taken from the Hugging Face cache ({fromCache[0].Repository}, snapshot {fromCache[0].Commit}); nothing was downloaded for {(fromCache.Count == 1 ? "it" : "them")}." },
                new[] { "PSHOST", "AudioEmbed.HuggingFaceCache" });
        var byHub = m.Sources.Where(s => s.Verification == Verification.Hub).ToList();
        if (byHub.Count > 0)
            cmdlet.WriteWarning($"{m.Family} {m.Variant}: {string.Join("; ", byHub.Select(s => $"{s.Name} ({s.CheckedHash}, {s.Repository} commit {s.Commit})"))} verified by the Hugging Face hub, not pinned by AudioEmbed: the bytes match the hash the hub advertised for that revision, not a hash this module's catalog vouches for.");
        foreach (var s in m.Sources.Where(s => s.Verification == Verification.Recorded))
            cmdlet.WriteWarning($"'{s.Origin}' was installed unverified (SHA-256 {s.Sha256} recorded, none pinned in the catalog{(m.Custom ? ": custom checkpoint" : "")}).");
    }
}
