using System.Diagnostics;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Downloads;

/// <summary>
/// A mirror (plain URL) that accepts the connection and then stops sending must not hang an install: silence for the
/// stall limit (here 1 s) gives up with the file named and what arrived, keeps the bytes for a resume, replaces nothing;
/// a slow but steady download still finishes; Ctrl+C cancels at once even while the server is silent.
/// </summary>
public class DownloaderStallTests
{
    private static readonly byte[] Body = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7 % 253)).ToArray();
    private static readonly DownloadTimeouts OneSecond = DownloadTimeouts.Of(TimeSpan.FromSeconds(1));

    /// <summary>The catalog's entry: its upstream URL is not the loopback one, which serves as a mirror (allowed offline, as in the test run).</summary>
    private static ModelSourceFile File0(string mirrorUrl) =>
        new() { Name = "weights.h5", Url = "https://upstream.invalid/weights.h5", Sha256 = LoopbackHubSha(Body), Size = Body.Length };

    private static string LoopbackHubSha(byte[] b) => HuggingFace.LoopbackHub.Sha256(b);

    private static (string Partial, string Destination) Paths()
    {
        var dir = TestStore.TempDir("stall");
        Directory.CreateDirectory(Path.Combine(dir, "staging"));
        return (Path.Combine(dir, "downloads", "x.partial"), Path.Combine(dir, "staging", "weights.h5"));
    }

    [Fact]
    public void ServerThatNeverSendsHeaders_IsGivenUp_NamingTheFile()
    {
        using var server = new LoopbackFileServer(new() { ["m/weights.h5"] = Body }) { SilentFirstResponse = true };
        var url = server.BaseUrl + "m/weights.h5";
        var (partial, destination) = Paths();
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ModelStoreException>(() => Downloader.Download(File0(url), url, destination, partial, null, CancellationToken.None, OneSecond));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Contains("Could not download weights.h5 from " + url, ex.Message);
        Assert.Contains("sent no response within 1 s", ex.Message);
        Assert.Contains(DownloadTimeouts.StallVariable, ex.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(partial) && new FileInfo(partial).Length > 0, "nothing arrived, so nothing is kept");
    }

    [Fact]
    public void ServerThatStallsMidBody_IsGivenUp_KeepsWhatArrived_ReplacesNothing_AndTheNextAttemptResumes()
    {
        using var server = new LoopbackFileServer(new() { ["m/weights.h5"] = Body }) { StallFirstResponseAfter = 100_000 };
        var url = server.BaseUrl + "m/weights.h5";
        var (partial, destination) = Paths();
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.WriteAllText(destination, "an earlier good file");

        var ex = Assert.Throws<ModelStoreException>(() => Downloader.Download(File0(url), url, destination, partial, null, CancellationToken.None, OneSecond));
        Assert.Contains("Could not download weights.h5", ex.Message);
        Assert.Contains("no data for 1 s after 100 kB of 300 kB", ex.Message);
        Assert.Contains("The 100,000 bytes received are kept: run the install again to resume.", ex.Message);
        Assert.Equal("an earlier good file", File.ReadAllText(destination)); // a stalled download replaces nothing
        Assert.Equal(100_000, new FileInfo(partial).Length);

        Downloader.Download(File0(url), url, destination, partial, null, CancellationToken.None, OneSecond);
        Assert.Equal(Body, File.ReadAllBytes(destination));
        Assert.Equal(new long[] { 100_000 }, server.RangeStarts);
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public void SlowButSteadyServer_FinishesAlthoughTheWholeDownloadTakesLongerThanTheStallLimit()
    {
        // 12 chunks 250 ms apart: about 2.75 s in all, never 1 s without a byte.
        using var server = new LoopbackFileServer(new() { ["m/weights.h5"] = Body }) { TrickleChunk = 25_000, TrickleDelay = TimeSpan.FromMilliseconds(250) };
        var url = server.BaseUrl + "m/weights.h5";
        var (partial, destination) = Paths();
        var clock = Stopwatch.StartNew();
        Downloader.Download(File0(url), url, destination, partial, null, CancellationToken.None, OneSecond);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.5), $"the download took {clock.Elapsed.TotalSeconds:0.0} s: it did not test a total time above the stall limit");
        Assert.Equal(Body, File.ReadAllBytes(destination));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CtrlC_WhileTheServerIsSilent_CancelsAtOnce(bool midBody)
    {
        using var server = midBody
            ? new LoopbackFileServer(new() { ["m/weights.h5"] = Body }) { StallFirstResponseAfter = 100_000 }
            : new LoopbackFileServer(new() { ["m/weights.h5"] = Body }) { SilentFirstResponse = true };
        var url = server.BaseUrl + "m/weights.h5";
        var (partial, destination) = Paths();
        using var ctrlC = new CancellationTokenSource();
        var pressed = System.Diagnostics.Stopwatch.StartNew();
        if (!midBody) ctrlC.CancelAfter(500);
        // Mid-body: Ctrl+C half a second after the server's last byte arrived.
        var progress = new InlineProgress(p => { if (p.Done >= 100_000) { pressed.Restart(); ctrlC.CancelAfter(500); } });
        Assert.ThrowsAny<OperationCanceledException>(() => Downloader.Download(File0(url), url, destination, partial, progress, ctrlC.Token, DownloadTimeouts.Of(TimeSpan.FromSeconds(60))));
        Assert.InRange(pressed.Elapsed.TotalSeconds, 0.4, 10); // not the 60 s stall limit
        Assert.False(File.Exists(destination));
        if (midBody) Assert.Equal(100_000, new FileInfo(partial).Length); // kept for a resume, as after a dropped connection
    }
}

/// <summary>The stall limits from the environment's variables (given as a lookup: the process environment is not touched).</summary>
public class DownloadTimeoutSettingsTests
{
    private static DownloadTimeouts From(params (string Name, string Value)[] set) =>
        DownloadTimeouts.From(name => set.FirstOrDefault(v => v.Name == name).Value);

    [Fact]
    public void Variables_FollowTheHuggingFaceClientsNames_OursFirst()
    {
        Assert.Equal(DownloadTimeouts.Of(TimeSpan.FromSeconds(60)), From());
        Assert.Equal(DownloadTimeouts.Of(TimeSpan.FromSeconds(600)), From(("HF_HUB_DOWNLOAD_TIMEOUT", "600")));
        Assert.Equal(new DownloadTimeouts(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(10)),
            From(("HF_HUB_DOWNLOAD_TIMEOUT", "600"), ("HF_HUB_ETAG_TIMEOUT", "10")));
        Assert.Equal(new DownloadTimeouts(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10)),
            From(("HF_HUB_DOWNLOAD_TIMEOUT", "600"), ("HF_HUB_ETAG_TIMEOUT", "10"), ("AUDIOEMBED_DOWNLOAD_TIMEOUT", "1.5")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("1e12")]
    public void ValueThatIsNotAPositiveNumberOfSeconds_IsAnErrorNamingTheVariable(string value)
    {
        var ex = Assert.Throws<ModelStoreException>(() => From(("HF_HUB_DOWNLOAD_TIMEOUT", value)));
        Assert.Contains($"HF_HUB_DOWNLOAD_TIMEOUT '{value}' is not usable", ex.Message);
    }
}
