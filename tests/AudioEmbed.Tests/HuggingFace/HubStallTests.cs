using System.Diagnostics;
using AudioEmbed.Core.Store;
using AudioEmbed.Core.Store.HuggingFace;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// A hub or CDN that accepts the connection and then stops sending (no metadata answer, no download headers, a body
/// that stops part-way with the connection open) is given up after the stall limit (1 s here), naming the file and
/// never the token; the bytes received are kept for a resume; a slow but steady CDN still delivers.
/// </summary>
public class HubStallTests
{
    private const string Token = "hf_stallTOKEN_never_printed_77";
    private static readonly byte[] Weights = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 13 % 241)).ToArray();
    private static readonly DownloadTimeouts OneSecond = DownloadTimeouts.Of(TimeSpan.FromSeconds(1));

    private static (string Partial, string Destination) Paths()
    {
        var dir = TestStore.TempDir("hub-stall");
        return (Path.Combine(dir, "downloads", "x.partial"), Path.Combine(dir, "file"));
    }

    private static (LoopbackHub Hub, HubClient Client) Serve(Misbehaviour m, string? token = null)
    {
        var hub = new LoopbackHub();
        hub.Repo("org/model", requiredToken: token).Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = m });
        return (hub, new HubClient(new HubSettings(hub.BaseUrl, token, false), OneSecond));
    }

    [Fact]
    public void MetadataRequestNeverAnswered_IsGivenUp_NamingFileRepositoryRevision_NotTheToken()
    {
        var (hub, client) = Serve(new Misbehaviour { SilentMetadata = true }, Token);
        using var _ = hub;
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        Assert.Contains("weights.bin of org/model at revision main", ex.Message);
        Assert.Contains("no answer to the metadata request within 1 s", ex.Message);
        Assert.Contains(hub.Log, l => l.Authorization == "Bearer " + Token); // it was sent, to the hub only
        Assert.DoesNotContain(Token, ex.ToString());
    }

    [Fact]
    public void DownloadNeverAnswered_IsGivenUp_AndNothingIsKept()
    {
        var (hub, client) = Serve(new Misbehaviour { SilentFirstDownload = true });
        using var _ = hub;
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var ex = Assert.Throws<ModelStoreException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None));
        Assert.Contains("Could not download weights.bin of org/model at revision main", ex.Message);
        Assert.Contains("sent no response within 1 s", ex.Message);
        Assert.Contains("Nothing was installed.", ex.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public void BodyThatStopsWithTheConnectionOpen_IsGivenUp_SayingHowMuchArrived_AndTheNextAttemptResumes()
    {
        var (hub, client) = Serve(new Misbehaviour { StallFirstDownloadAfter = 120_000 }, Token);
        using var _ = hub;
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var ex = Assert.Throws<ModelStoreException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None));
        Assert.Contains("weights.bin of org/model at revision main", ex.Message);
        Assert.Contains("no data for 1 s after 120 kB of 300 kB", ex.Message);
        Assert.Contains("run the install again to resume", ex.Message);
        Assert.DoesNotContain(Token, ex.ToString());
        Assert.False(File.Exists(destination), "a partial download is never used");
        Assert.Equal(120_000, new FileInfo(partial).Length);

        client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.Equal(Weights, File.ReadAllBytes(destination));
        Assert.Contains(hub.Log, r => r.Path.StartsWith("/cdn/") && r.Range == "bytes=120000-");
    }

    [Fact]
    public void SlowButSteadyCdn_Delivers_ThoughTheWholeDownloadTakesLongerThanTheStallLimit()
    {
        var (hub, client) = Serve(new Misbehaviour { TrickleChunk = 25_000, TrickleDelay = TimeSpan.FromMilliseconds(250) });
        using var _ = hub;
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var clock = Stopwatch.StartNew();
        client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.5), $"the download took {clock.Elapsed.TotalSeconds:0.0} s: it did not test a total time above the stall limit");
        Assert.Equal(Weights, File.ReadAllBytes(destination));
    }

    [Fact]
    public void CtrlC_WhileTheCdnIsSilent_CancelsAtOnce_AndKeepsTheBytes()
    {
        using var hub = new LoopbackHub();
        hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = new Misbehaviour { StallFirstDownloadAfter = 50_000 } });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false), DownloadTimeouts.Of(TimeSpan.FromSeconds(60)));
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        using var ctrlC = new CancellationTokenSource();
        var pressed = Stopwatch.StartNew();
        // Ctrl+C half a second after the CDN's last byte arrived.
        var progress = new Downloads.InlineProgress(p => { if (p.Done >= 50_000) { pressed.Restart(); ctrlC.CancelAfter(500); } });
        Assert.ThrowsAny<OperationCanceledException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, progress, ctrlC.Token));
        Assert.InRange(pressed.Elapsed.TotalSeconds, 0.4, 10); // not the 60 s stall limit
        Assert.Equal(50_000, new FileInfo(partial).Length);
        Assert.False(File.Exists(destination));
    }
}
