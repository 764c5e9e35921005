using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Downloads from a model mirror on loopback: first-use installation by Get-AudioEmbedding, progress,
/// SHA-256 verification, and that a corrupt download is never used.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class DownloadTests
{
    [SkippableFact]
    public void FirstUse_DownloadsVerifiesAndConvertsTheDefaultVariant()
    {
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MTT_musicnn.h5"));
        using var server = new LoopbackFileServer(new() { ["musicnn/MTT_musicnn.h5"] = h5 });
        var store = TestStore.TempDir("store");
        var audio = TestAudio.Tone(TestStore.TempDir("audio"), "a.wav", 4);
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var host = new ModuleHost();

        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{audio}' -ModelPath '{store}'").ThrowIfErrors();
        Assert.Equal(753, r.Single<AudioEmbedding>().Dimension);
        Assert.Contains(r.Progress, p => p.Activity == "Installing model" && p.StatusDescription.Contains("MTT_musicnn"));
        var manifest = ModelManifest.Load(Path.Combine(store, "models", "musicnn", "MTT_musicnn", "manifest.json"));
        Assert.Equal(server.BaseUrl + "musicnn/MTT_musicnn.h5", manifest.Sources.Single().Origin);
        // The downloaded checkpoint is not kept once converted; nothing partial is left behind.
        Assert.Equal(new[] { "manifest.json", "model.onnx" }, Directory.GetFiles(Path.Combine(store, "models", "musicnn", "MTT_musicnn")).Select(Path.GetFileName).Order());
    }

    [SkippableFact]
    public void CorruptDownload_IsDiscarded_AndNothingIsInstalled()
    {
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MTT_vgg.h5"));
        h5[h5.Length / 2] ^= 0xFF; // one flipped byte
        using var server = new LoopbackFileServer(new() { ["musicnn/MTT_vgg.h5"] = h5 });
        var store = TestStore.TempDir("store");
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var host = new ModuleHost();

        var r = host.Run($"Install-AudioEmbedModel MusiCNN MTT_vgg -ModelPath '{store}'");
        var error = Assert.Single(r.Errors);
        Assert.Contains("SHA-256", error.Exception.Message);
        Assert.Contains("discarded", error.Exception.Message);
        var familyDir = Path.Combine(store, "models", "musicnn");
        Assert.Empty(Directory.GetDirectories(familyDir));
        Assert.Empty(Directory.GetFiles(familyDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock")));
    }

    [SkippableFact]
    public void DroppedDownload_KeepsWhatArrived_AndTheNextInstallResumesFromThere()
    {
        // Guards against a 1.3 GB checkpoint starting from zero after every network hiccup, and against a resumed
        // file being used without its whole content hashed.
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MSD_musicnn.h5"));
        const int Cut = 1 << 20;
        using var server = new LoopbackFileServer(new() { ["musicnn/MSD_musicnn.h5"] = h5 }, dropFirstResponseAfter: Cut);
        var store = TestStore.TempDir("store");
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var host = new ModuleHost();

        var first = host.Run($"Install-AudioEmbedModel MusiCNN MSD_musicnn -ModelPath '{store}'");
        var message = Assert.Single(first.Errors).Exception.Message;
        Assert.Contains("run the install again to resume", message);
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MSD_musicnn")), "nothing may be installed from a partial download");
        var partial = Assert.Single(Directory.GetFiles(Path.Combine(store, "downloads"), "*.partial"));
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, Cut);

        host.Run($"Install-AudioEmbedModel MusiCNN MSD_musicnn -ModelPath '{store}'").ThrowIfErrors();
        Assert.Equal(new[] { kept }, server.RangeStarts); // the second request asked for the rest only
        Assert.Equal(Cut + h5.Length - kept, server.BytesServed);
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "downloads")));
        Assert.True(File.Exists(Path.Combine(store, "models", "musicnn", "MSD_musicnn", "model.onnx")));
    }

    [SkippableFact]
    public void StalledMirror_IsGivenUpAfterTheConfiguredSilence_AndTheNextInstallResumes()
    {
        // Guards against Install-AudioEmbedModel hanging forever on a server that keeps the connection open and sends nothing.
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MSD_musicnn.h5"));
        const int Cut = 1 << 20;
        using var server = new LoopbackFileServer(new() { ["musicnn/MSD_musicnn.h5"] = h5 }) { StallFirstResponseAfter = Cut };
        var store = TestStore.TempDir("store");
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var limit = new EnvironmentOverride(DownloadTimeouts.StallVariable, "1");
        using var host = new ModuleHost();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var message = Assert.Single(host.Run($"Install-AudioEmbedModel MusiCNN MSD_musicnn -ModelPath '{store}'").Errors).Exception.Message;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the install took {clock.Elapsed.TotalSeconds:0} s");
        Assert.Contains("Could not download MSD_musicnn.h5 from " + server.BaseUrl, message);
        Assert.Contains($"no data for 1 s after 1.05 MB of {DownloadStalledException.Bytes(h5.Length)}", message);
        Assert.Contains("run the install again to resume", message);
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MSD_musicnn")), "nothing may be installed from a stalled download");
        Assert.Equal(Cut, new FileInfo(Assert.Single(Directory.GetFiles(Path.Combine(store, "downloads"), "*.partial"))).Length);

        host.Run($"Install-AudioEmbedModel MusiCNN MSD_musicnn -ModelPath '{store}'").ThrowIfErrors();
        Assert.Equal(new[] { (long)Cut }, server.RangeStarts);
        Assert.True(File.Exists(Path.Combine(store, "models", "musicnn", "MSD_musicnn", "model.onnx")));
    }

    [SkippableFact]
    public void CtrlC_WhileTheMirrorIsSilent_StopsTheInstallAtOnce_AndKeepsTheBytes()
    {
        // The default 60-s stall limit is in force: only Stop (StopProcessing) can end this promptly.
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MSD_musicnn.h5"));
        const int Cut = 1 << 20;
        using var server = new LoopbackFileServer(new() { ["musicnn/MSD_musicnn.h5"] = h5 }) { StallFirstResponseAfter = Cut };
        var store = TestStore.TempDir("store");
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var runspace = System.Management.Automation.Runspaces.RunspaceFactory.CreateRunspace(System.Management.Automation.Runspaces.InitialSessionState.CreateDefault2());
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript($"Import-Module '{Path.Combine(SharedData.ModuleDir, "AudioEmbed.psd1")}'; Install-AudioEmbedModel MusiCNN MSD_musicnn -ModelPath '{store}'");
        var run = ps.BeginInvoke();
        var partialPath = Path.Combine(store, "downloads");
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (server.BytesServed < Cut && deadline.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
        Assert.True(server.BytesServed >= Cut, "the first megabyte was never sent");
        Thread.Sleep(500); // the server is now silent with the connection open

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        try { ps.EndInvoke(run); } catch (System.Management.Automation.PipelineStoppedException) { }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        Assert.Equal(System.Management.Automation.PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MSD_musicnn")));
        Assert.Equal(Cut, new FileInfo(Assert.Single(Directory.GetFiles(partialPath, "*.partial"))).Length);
    }

    [SkippableFact]
    public void ResumedBytesThatDoNotMatch_AreDiscarded_AndTheFileIsFetchedAgain()
    {
        // A partial file left by something else (or a changed upstream file): the whole-file hash catches it.
        var h5 = File.ReadAllBytes(SharedData.Require("models", "musicnn", "MSD_vgg.h5"));
        var file = TestStore.Catalog.Family("MusiCNN").Variant("MSD_vgg").Files.Single();
        var store = TestStore.TempDir("store");
        Directory.CreateDirectory(Path.Combine(store, "downloads"));
        File.WriteAllBytes(Path.Combine(store, "downloads", file.Sha256.ToLowerInvariant() + ".partial"), new byte[4096]); // zeros: wrong prefix
        using var server = new LoopbackFileServer(new() { ["musicnn/MSD_vgg.h5"] = h5 });
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var host = new ModuleHost();

        var first = host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -ModelPath '{store}'");
        Assert.Contains("discarded", Assert.Single(first.Errors).Exception.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "downloads")));
        host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -ModelPath '{store}'").ThrowIfErrors();
    }

    [Fact]
    public void MissingOnMirror_IsAClearError()
    {
        using var server = new LoopbackFileServer(new());
        var store = TestStore.TempDir("store");
        using var mirror = new EnvironmentOverride(Downloader.MirrorVariable, server.BaseUrl);
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -ModelPath '{store}'");
        var message = Assert.Single(r.Errors).Exception.Message;
        Assert.Contains("Could not download MSD_vgg.h5", message);
        Assert.Contains("404", message);
    }
}

/// <summary>Sets an environment variable for the length of a test (tests using it are in the serial PowerShell collection).</summary>
public sealed class EnvironmentOverride : IDisposable
{
    private readonly string _name;
    private readonly string? _previous;

    public EnvironmentOverride(string name, string? value)
    {
        _name = name;
        _previous = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose() => Environment.SetEnvironmentVariable(_name, _previous);
}
