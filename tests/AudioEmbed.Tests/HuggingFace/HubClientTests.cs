using System.Text;
using AudioEmbed.Core.Store;
using AudioEmbed.Core.Store.HuggingFace;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>The hub protocol against the loopback hub: metadata, verified downloads, resume, and every refusal.</summary>
public class HubClientTests
{
    private static readonly byte[] Weights = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 % 251)).ToArray();
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"hidden_size\": 32}\n");

    private static (string Partial, string Destination) Paths()
    {
        var dir = TestStore.TempDir("hub-client");
        return (Path.Combine(dir, "downloads", "x.partial"), Path.Combine(dir, "file"));
    }

    [Fact]
    public void EtagsAreReadAsTheHubsClientReadsThem()
    {
        var sha = new string('a', 64);
        Assert.Equal(new ContentHash(ContentHashKind.Sha256, sha), ContentHash.FromEtag($"\"{sha.ToUpperInvariant()}\""));
        Assert.Equal(new ContentHash(ContentHashKind.GitBlobSha1, new string('b', 40)), ContentHash.FromEtag($"W/\"{new string('b', 40)}\""));
        Assert.Null(ContentHash.FromEtag("\"0123456789abcdef\""));
        Assert.Null(ContentHash.FromEtag(null));
    }

    [Fact]
    public void GitBlobSha1_IsGitsHashOfTheContent()
    {
        // Known git object ids: the empty blob and "hello\n" (git hash-object).
        using (var h = new ContentHasher(0)) Assert.Equal("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", h.Finish().GitBlobSha1);
        using var hello = new ContentHasher(6);
        hello.Append("hello\n"u8);
        Assert.Equal("ce013625030ba8dba906f756967f9e9ca394464a", hello.Finish().GitBlobSha1);
    }

    [Fact]
    public void LfsFile_MetadataFromThe302_ThenTheCdnBytes_VerifiedBySha256()
    {
        using var hub = new LoopbackHub();
        var commit = hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights, ["config.json"] = Config });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));

        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        Assert.Equal(commit, meta.Commit);
        Assert.Equal(new ContentHash(ContentHashKind.Sha256, LoopbackHub.Sha256(Weights)), meta.Hash);
        Assert.Equal(Weights.Length, meta.Size);
        Assert.StartsWith(hub.BaseUrl + "/cdn/", meta.Location.AbsoluteUri);

        var (partial, destination) = Paths();
        var actual = client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.Equal(Weights, File.ReadAllBytes(destination));
        Assert.Equal(LoopbackHub.Sha256(Weights), actual.Sha256);
        Assert.False(File.Exists(partial));
        Assert.Contains(hub.Log, r => r.Method == "HEAD" && r.Path == "/org/model/resolve/main/weights.bin");
    }

    [Fact]
    public void SmallFile_IsVerifiedByItsGitBlobSha1()
    {
        using var hub = new LoopbackHub();
        var commit = hub.Repo("org/model").Commit(new() { ["config.json"] = Config });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var meta = client.GetMetadata("org/model", commit, "config.json", CancellationToken.None);
        Assert.Equal(new ContentHash(ContentHashKind.GitBlobSha1, LoopbackHub.GitBlobSha1(Config)), meta.Hash);
        var (partial, destination) = Paths();
        client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.Equal(Config, File.ReadAllBytes(destination));
    }

    [Fact]
    public void AdvertisedHashThatTheBytesDoNotHave_IsRefused_AndNothingIsKept()
    {
        using var hub = new LoopbackHub();
        hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = new Misbehaviour { AdvertiseSha256 = new string('c', 64) } });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var ex = Assert.Throws<ModelStoreException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None));
        Assert.Contains("weights.bin of org/model at revision main", ex.Message);
        Assert.Contains(LoopbackHub.Sha256(Weights), ex.Message);
        Assert.Contains(new string('c', 64), ex.Message);
        Assert.False(File.Exists(partial));
        Assert.False(File.Exists(destination));
    }

    [Theory]
    [InlineData(-1000, "longer than")]
    [InlineData(+1000, "ended after")]
    public void AdvertisedSizeThatTheBodyDoesNotHave_IsRefused(long lie, string expected)
    {
        using var hub = new LoopbackHub();
        hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = new Misbehaviour { SizeLie = lie } });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var ex = Assert.Throws<ModelStoreException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("weights.bin of org/model", ex.Message);
        Assert.False(File.Exists(destination));
    }

    [Fact]
    public void DroppedConnection_KeepsThePrefix_AndTheNextAttemptResumesWithARange()
    {
        using var hub = new LoopbackHub();
        hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = new Misbehaviour { DropFirstDownloadAfter = 100_000 } });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var meta = client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None);
        var (partial, destination) = Paths();
        var ex = Assert.Throws<ModelStoreException>(() => client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None));
        Assert.Contains("run the install again to resume", ex.Message);
        Assert.False(File.Exists(destination), "a partial download is never used");
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 100_000);

        client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.Equal(Weights, File.ReadAllBytes(destination));
        Assert.Contains(hub.Log, r => r.Path.StartsWith("/cdn/") && r.Range == $"bytes={kept}-");
    }

    [Fact]
    public void GatedRepository_401WithoutToken_AndTheTokenNeverFollowsARedirectToAnotherHost()
    {
        const string Token = "hf_testTOKEN_0123456789";
        using var cdn = new LoopbackHub();
        using var hub = new LoopbackHub { ExternalCdn = cdn };
        hub.Repo("org/gated", requiredToken: Token).Commit(new() { ["weights.bin"] = Weights }, misbehaviours: new() { ["weights.bin"] = new Misbehaviour { RedirectToOtherHost = true } });

        var anonymous = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var refused = Assert.Throws<ModelStoreException>(() => anonymous.GetMetadata("org/gated", "main", "weights.bin", CancellationToken.None));
        Assert.Contains("401", refused.Message);
        Assert.Contains("HF_TOKEN", refused.Message);
        Assert.Contains("weights.bin of org/gated at revision main", refused.Message);

        var client = new HubClient(new HubSettings(hub.BaseUrl, Token, false));
        var meta = client.GetMetadata("org/gated", "main", "weights.bin", CancellationToken.None);
        Assert.StartsWith(cdn.BaseUrl, meta.Location.AbsoluteUri);
        var (partial, destination) = Paths();
        client.Download(meta, meta.Hash!, meta.Size!.Value, partial, destination, null, CancellationToken.None);
        Assert.Equal(Weights, File.ReadAllBytes(destination));
        Assert.Contains(hub.Log, r => r.Authorization == "Bearer " + Token);
        Assert.NotEmpty(cdn.Log);
        Assert.All(cdn.Log, r => Assert.Null(r.Authorization)); // the token stays with the hub
        Assert.DoesNotContain(Token, refused.ToString());
    }

    [Fact]
    public void RenamedRepository_TheRelativeRedirectIsFollowed_TheCdnOneIsNot()
    {
        using var hub = new LoopbackHub();
        var commit = hub.Repo("org/new-name").Commit(new() { ["weights.bin"] = Weights, ["config.json"] = Config });
        hub.Repo("org/old-name").RenamedTo = "org/new-name";
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var lfs = client.GetMetadata("org/old-name", "main", "weights.bin", CancellationToken.None);
        Assert.Equal((commit, LoopbackHub.Sha256(Weights)), (lfs.Commit, lfs.Hash!.Hex));
        Assert.StartsWith(hub.BaseUrl + "/cdn/", lfs.Location.AbsoluteUri);
        var small = client.GetMetadata("org/old-name", "main", "config.json", CancellationToken.None);
        Assert.Equal(LoopbackHub.GitBlobSha1(Config), small.Hash!.Hex);
        Assert.EndsWith("/org/new-name/resolve/main/config.json", small.Location.AbsoluteUri);
        Assert.DoesNotContain(hub.Log, l => l.Method == "HEAD" && l.Path.StartsWith("/cdn/"));
    }

    [Fact]
    public void UnknownRevision_SaysItNoLongerResolves()
    {
        using var hub = new LoopbackHub();
        hub.Repo("org/model").Commit(new() { ["weights.bin"] = Weights });
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var gone = new string('d', 40);
        var ex = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/model", gone, "weights.bin", CancellationToken.None));
        Assert.Contains($"the revision {gone} no longer resolves in org/model", ex.Message);
        var missing = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/model", "main", "other.bin", CancellationToken.None));
        Assert.Contains("has no file other.bin", missing.Message);
        var noRepo = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/none", "main", "weights.bin", CancellationToken.None));
        Assert.Contains("no repository org/none", noRepo.Message);
    }

    [Theory]
    [InlineData("../secret.bin")]
    [InlineData("a/../../b.pt")]
    [InlineData("/etc/passwd")]
    [InlineData("..\\x.pt")]
    public void FileNamesThatClimbOut_AreRefusedBeforeAnyRequest(string name)
    {
        using var hub = new LoopbackHub();
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, false));
        var ex = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/model", "main", name, CancellationToken.None));
        Assert.Contains(name, ex.Message);
        Assert.Empty(hub.Log);
    }

    [Theory]
    [InlineData("https://huggingface.co/x", true)]
    [InlineData("http://127.0.0.1:5000/x", true)]
    [InlineData("http://localhost/x", true)]
    [InlineData("http://example.com/x", false)]
    [InlineData("ftp://127.0.0.1/x", false)]
    public void RedirectTargets_HttpsOrLoopbackOnly(string url, bool allowed) =>
        Assert.Equal(allowed, HubClient.IsAllowedTarget(new Uri(url)));

    [Fact]
    public void Offline_NoRequestIsMade()
    {
        using var hub = new LoopbackHub();
        var client = new HubClient(new HubSettings(hub.BaseUrl, null, offline: true));
        var ex = Assert.Throws<ModelStoreException>(() => client.GetMetadata("org/model", "main", "weights.bin", CancellationToken.None));
        Assert.Contains("downloads are off", ex.Message);
        Assert.Empty(hub.Log);
    }
}
