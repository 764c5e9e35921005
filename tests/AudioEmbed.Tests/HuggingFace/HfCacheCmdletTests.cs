using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// Installs from a Hugging Face cache built here as huggingface_hub lays it out, on a machine with no network
/// (AUDIOEMBED_OFFLINE=1, no hub): symlinked and copied snapshots, a damaged blob, a dangling link, two revisions,
/// and -SourcePath given a models--… folder or the seed pipeline's keras_checkpoints folder.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class HfCacheCmdletTests
{
    private static Dictionary<string, string> TinyMertPins() =>
        HubFixtures.Mert().ToDictionary(f => f.Key, f => LoopbackHub.Sha256(f.Value));

    [SkippableFact]
    public void CacheOnlyMachine_InstallsEnCodecMae_FromTheSymlinkedSnapshot_WithoutDownloading_AndUninstallKeepsTheCache()
    {
        var cache = new HfCacheBuilder();
        var commit = new string('1', 40);
        cache.AddSnapshot(HubFixtures.EncodecRepo, commit, new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        using var env = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true);
        using var host = new ModuleHost();

        var r = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.Contains(r.Information, m => m.Contains("taken from the Hugging Face cache") && m.Contains(commit) && m.Contains("nothing was downloaded"));
        var source = env.Manifest("encodecmae", "mel256-ec-base_st").Sources.Single();
        Assert.Equal((SourceVia.HuggingFaceCache, Verification.Hub, commit), (source.Via, source.Verification, source.Commit));
        Assert.False(Directory.Exists(Path.Combine(env.Store, "downloads")));
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.EncodecWav}' -Model EnCodecMAE -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(HubFixtures.EncodecMeanPooled, e.Vector, 1e-4, 0, "EnCodecMAE from the cache");

        var blob = cache.BlobOf(HubFixtures.EncodecRepo, commit, HubFixtures.EncodecFile);
        host.Run($"Uninstall-AudioEmbedModel EnCodecMAE -ModelPath '{env.Store}' -Confirm:$false").ThrowIfErrors();
        Assert.False(env.Installed("encodecmae", "mel256-ec-base_st"));
        Assert.True(File.Exists(blob), "the Hugging Face cache is never deleted");
        Assert.True(File.Exists(Path.Combine(cache.RepoFolder(HubFixtures.EncodecRepo), "snapshots", commit, HubFixtures.EncodecFile)));
        Assert.Contains("not installed", Assert.Single(host.Run($"Uninstall-AudioEmbedModel EnCodecMAE -ModelPath '{env.Store}' -Confirm:$false").Warnings));
    }

    [SkippableFact]
    public void TwoRevisions_ThePinnedCommitIsUsed_NotWhatMainPointsAt()
    {
        var cache = new HfCacheBuilder();
        cache.AddSnapshot(HubFixtures.MertRepo, HubFixtures.MertRevision, HubFixtures.Mert("tiny-95m-style"), branch: null);
        cache.AddSnapshot(HubFixtures.MertRepo, new string('2', 40), HubFixtures.Mert("tiny-330m-style"), branch: "main");
        using var catalog = TestCatalog.Unpinned("Mert");
        using var env = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true);
        using var host = new ModuleHost();

        host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.All(env.Manifest("mert", "MERT-v1-95M").Sources, s => Assert.Equal(HubFixtures.MertRevision, s.Commit));
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.MertWav}' -Model Mert -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(HubFixtures.MertMeanPooled, e.Vector, 1e-4, 0, "the 95M-style snapshot, not main's 330M-style one");
    }

    [SkippableFact]
    public void CopiedSnapshot_IsAcceptedAgainstThePin_ButAnUnpinnedCopyCannotBeVerifiedOffline()
    {
        var cache = new HfCacheBuilder();
        cache.AddSnapshot(HubFixtures.MertRepo, HubFixtures.MertRevision, HubFixtures.Mert(), symlinks: false);
        cache.AddSnapshot(HubFixtures.EncodecRepo, new string('3', 40), new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() }, symlinks: false);
        using var catalog = TestCatalog.Pinned("Mert", "MERT-v1-95M", TinyMertPins());
        using var env = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true);
        using var host = new ModuleHost();

        host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.All(env.Manifest("mert", "MERT-v1-95M").Sources, s => Assert.Equal((Verification.Pinned, SourceVia.HuggingFaceCache), (s.Verification, s.Via)));

        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains($"{HubFixtures.EncodecFile} of {HubFixtures.EncodecRepo} at revision main", message);
        Assert.Contains("plain copy", message);
        env.AssertNothingInstalled("encodecmae");
    }

    [SkippableFact]
    public void BlobWhoseContentDoesNotMatchItsName_IsRefused_AndNothingIsInstalled()
    {
        var cache = new HfCacheBuilder();
        var commit = new string('4', 40);
        cache.AddSnapshot(HubFixtures.EncodecRepo, commit, new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        var blob = cache.BlobOf(HubFixtures.EncodecRepo, commit, HubFixtures.EncodecFile);
        var bytes = File.ReadAllBytes(blob);
        bytes[^100] ^= 0x55;
        File.WriteAllBytes(blob, bytes);
        using var env = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true);
        using var host = new ModuleHost();

        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains($"{HubFixtures.EncodecFile} of {HubFixtures.EncodecRepo} at revision main", message);
        Assert.Contains("does not match its own name", message);
        Assert.Contains(Path.GetFileName(blob), message);
        Assert.Contains(LoopbackHub.Sha256(bytes), message);
        env.AssertNothingInstalled("encodecmae");
    }

    [SkippableFact]
    public void PinnedFileInTheCacheThatIsNotThePinnedBytes_IsRefused()
    {
        // The cache is consistent (blob = its name) but holds other bytes than the pin: the pin decides.
        var cache = new HfCacheBuilder();
        cache.AddSnapshot(HubFixtures.MertRepo, HubFixtures.MertRevision, HubFixtures.Mert());
        using var env = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true);
        using var host = new ModuleHost();
        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains($"config.json of {HubFixtures.MertRepo} at revision {HubFixtures.MertRevision}", message);
        Assert.Contains("ea2627c4c7825cd66f3c944b6b966331604c35928174e0100cd4a82829424e32", message);
        env.AssertNothingInstalled("mert");
    }

    [SkippableFact]
    public void DanglingSymlink_IsSaidOffline_AndDownloadedWhenOnline()
    {
        var cache = new HfCacheBuilder();
        var commit = new string('5', 40);
        cache.AddSnapshot(HubFixtures.EncodecRepo, commit, new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        File.Delete(cache.BlobOf(HubFixtures.EncodecRepo, commit, HubFixtures.EncodecFile));

        using (var offline = new HubEnvironment(endpoint: null, cacheRoot: cache.Root, offline: true))
        using (var host = new ModuleHost())
        {
            var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{offline.Store}'").Errors).Exception.Message;
            Assert.Contains("points to a blob that is missing", message);
            Assert.Contains($"{HubFixtures.EncodecFile} of {HubFixtures.EncodecRepo} at revision main", message);
            offline.AssertNothingInstalled("encodecmae");
        }

        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.EncodecRepo).Commit(new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        using var online = new HubEnvironment(hub.BaseUrl, cacheRoot: cache.Root);
        using var host2 = new ModuleHost();
        host2.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{online.Store}'").ThrowIfErrors();
        Assert.Equal(SourceVia.Download, online.Manifest("encodecmae", "mel256-ec-base_st").Sources.Single().Via);
    }

    [SkippableFact]
    public void SourcePath_TakesACacheFolder()
    {
        var cache = new HfCacheBuilder();
        cache.AddSnapshot("someone/encodecmae-ft", new string('6', 40), new() { ["model.pt"] = HubFixtures.Encodec() });
        using var env = new HubEnvironment(endpoint: null, offline: true);
        using var host = new ModuleHost();
        var folder = cache.RepoFolder("someone/encodecmae-ft");
        // Without -File the catalog's file name is looked for, and its absence is said; -File names the checkpoint.
        var r = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Name ft -SourcePath '{folder}' -ModelPath '{env.Store}'");
        Assert.Contains("mel256-ec-base_st.pt of someone/encodecmae-ft at revision main", Assert.Single(r.Errors).Exception.Message);
        host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Name ft -File model.pt -SourcePath '{folder}' -ModelPath '{env.Store}'").ThrowIfErrors();
        var ft = env.Manifest("encodecmae", "ft").Sources.Single();
        Assert.Equal(("someone/encodecmae-ft", new string('6', 40), Verification.Hub), (ft.Repository, ft.Commit, ft.Verification));

        var catalogCache = new HfCacheBuilder();
        catalogCache.AddSnapshot(HubFixtures.EncodecRepo, new string('7', 40), new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -SourcePath '{catalogCache.RepoFolder(HubFixtures.EncodecRepo)}' -ModelPath '{env.Store}'").ThrowIfErrors();
        var source = env.Manifest("encodecmae", "mel256-ec-base_st").Sources.Single();
        Assert.Equal((SourceVia.HuggingFaceCache, new string('7', 40)), (source.Via, source.Commit));
        Assert.True(Directory.Exists(folder));
    }

    [SkippableFact]
    public void SourcePath_TakesTheSeedPipelinesKerasCheckpointsFolder_AndInstallsEveryVariant()
    {
        var seed = Path.Combine(TestStore.TempDir("seed"), "musicnn_keras", "keras_checkpoints");
        Directory.CreateDirectory(seed);
        foreach (var v in new[] { "MTT_musicnn", "MSD_musicnn", "MTT_vgg", "MSD_vgg" })
            File.CreateSymbolicLink(Path.Combine(seed, v + ".h5"), SharedData.Require("models", "musicnn", v + ".h5"));
        using var env = new HubEnvironment(endpoint: null, offline: true);
        using var host = new ModuleHost();
        var installed = host.Run($"Install-AudioEmbedModel -Model MusiCNN -SourcePath '{seed}' -ModelPath '{env.Store}'").ThrowIfErrors().All<ModelStatus>().Select(s => s.Variant).Order().ToArray();
        Assert.Equal(new[] { "MSD_musicnn", "MSD_vgg", "MTT_musicnn", "MTT_vgg" }, installed);
        Assert.All(installed, v => Assert.Equal(Verification.Pinned, env.Manifest("musicnn", v).Sources.Single().Verification));
    }
}
