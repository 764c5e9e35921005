using System.Text;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// Install-AudioEmbedModel against the loopback hub through hosted PowerShell: the catalog's MERT and EnCodecMAE install
/// online (hub-verified where nothing is pinned), a pin decides over the hub, fine-tuned repositories install under a
/// name, a token never leaks, and every refusal names the file, repository, revision and mismatch and leaves nothing.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class HubInstallCmdletTests
{
    [SkippableFact]
    public void Mert_Online_HubVerified_OneWarning_EmbedsLikeUpstream_ThenUninstalls()
    {
        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.MertRepo).Commit(HubFixtures.Mert(), id: HubFixtures.MertRevision);
        using var catalog = TestCatalog.Unpinned("Mert"); // the real pins would (rightly) refuse the tiny stand-in
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();

        var r = host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.Equal("MERT-v1-95M", r.Single<ModelStatus>().Variant);
        var warning = Assert.Single(r.Warnings);
        Assert.Contains("verified by the Hugging Face hub, not pinned by AudioEmbed", warning);
        Assert.Contains("pytorch_model.bin", warning);
        var manifest = env.Manifest("mert", "MERT-v1-95M");
        Assert.All(manifest.Sources, s =>
        {
            Assert.Equal(Verification.Hub, s.Verification);
            Assert.Equal(SourceVia.Download, s.Via);
            Assert.Equal(HubFixtures.MertRevision, s.Commit);
            Assert.Equal(HubFixtures.MertRepo, s.Repository);
        });
        var bin = manifest.Sources.Single(s => s.Name == "pytorch_model.bin");
        Assert.Equal($"SHA-256 {LoopbackHub.Sha256(HubFixtures.Mert()["pytorch_model.bin"])}", bin.CheckedHash);
        Assert.Equal($"git blob SHA-1 {LoopbackHub.GitBlobSha1(HubFixtures.Mert()["config.json"])}", manifest.Sources.Single(s => s.Name == "config.json").CheckedHash);

        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.MertWav}' -Model Mert -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(HubFixtures.MertMeanPooled, e.Vector, 1e-4, 0, "tiny MERT installed from the hub, mean pooled");
        var song = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.RealSong}' -Model Mert -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(32, song.Dimension);
        Assert.All(song.Vector, v => Assert.True(float.IsFinite(v)));

        host.Run($"Get-AudioEmbedModel Mert -Installed -ModelPath '{env.Store}' | Uninstall-AudioEmbedModel -WhatIf").ThrowIfErrors();
        Assert.True(env.Installed("mert", "MERT-v1-95M"), "-WhatIf removes nothing");
        host.Run($"Get-AudioEmbedModel Mert -Installed -ModelPath '{env.Store}' | Uninstall-AudioEmbedModel -Confirm:$false").ThrowIfErrors();
        Assert.False(env.Installed("mert", "MERT-v1-95M"));
        Assert.Empty(host.Run($"Get-AudioEmbedModel Mert -Installed -ModelPath '{env.Store}'").ThrowIfErrors().Output);
    }

    [SkippableFact]
    public void EncodecMae_WithTheShippedCatalog_InstallsOnFirstUse_AndSaysTheLicenceIsNotStated()
    {
        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.EncodecRepo).Commit(new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();

        var first = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.EncodecWav}' -Model EnCodecMAE -ModelPath '{env.Store}'").ThrowIfErrors();
        Tolerance.AllClose(HubFixtures.EncodecMeanPooled, first.Single<AudioEmbedding>().Vector, 1e-4, 0, "tiny EnCodecMAE installed on first use, mean pooled");
        // The first use says, as Install-AudioEmbedModel does, that only the hub vouches for the file; later uses do not.
        Assert.Single(first.Warnings, w => w.Contains("verified by the Hugging Face hub, not pinned by AudioEmbed"));
        var second = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.EncodecWav}' -Model EnCodecMAE -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.DoesNotContain(second.Warnings, w => w.Contains("verified by the Hugging Face hub"));
        var source = env.Manifest("encodecmae", "mel256-ec-base_st").Sources.Single();
        Assert.Equal((Verification.Hub, HubFixtures.EncodecRepo, "main"), (source.Verification, source.Repository, source.Revision));
        Assert.Equal(hub.Repo(HubFixtures.EncodecRepo).Branches["main"], source.Commit);

        var status = host.Run($"Get-AudioEmbedModel EnCodecMAE -Installed -ModelPath '{env.Store}'").ThrowIfErrors().All<ModelStatus>().Single();
        Assert.Equal("licence not stated by the authors", status.License);
        var again = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Force -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.Contains(again.Information, m => m.Contains("licence not stated by the authors"));
        Assert.Single(again.Warnings, w => w.Contains("verified by the Hugging Face hub"));
    }

    [SkippableFact]
    public void PinnedHash_Decides_OverWhatTheHubServes()
    {
        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.MertRepo).Commit(HubFixtures.Mert(), id: HubFixtures.MertRevision);
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();

        // The shipped catalog pins the real files: the tiny stand-ins are refused, whatever the hub says of them.
        var r = host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'");
        var message = Assert.Single(r.Errors).Exception.Message;
        Assert.Contains($"config.json of {HubFixtures.MertRepo} at revision {HubFixtures.MertRevision}", message);
        Assert.Contains("the hub advertises 1,820 bytes, but the catalog pins 1,817", message); // the real config.json is 1,817 bytes
        env.AssertNothingInstalled("mert");

        // An LFS file whose advertised SHA-256 differs from the pin is refused before a byte is downloaded.
        var pins = HubFixtures.Mert();
        using var catalog = TestCatalog.Pinned("Mert", "MERT-v1-95M", new()
        {
            ["config.json"] = LoopbackHub.Sha256(pins["config.json"]),
            ["preprocessor_config.json"] = LoopbackHub.Sha256(pins["preprocessor_config.json"]),
            ["pytorch_model.bin"] = new string('e', 64),
        });
        var pinned = host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'");
        var refusal = Assert.Single(pinned.Errors).Exception.Message;
        Assert.Contains($"pytorch_model.bin of {HubFixtures.MertRepo} at revision {HubFixtures.MertRevision}", refusal);
        Assert.Contains("The pinned hash decides", refusal);
        Assert.DoesNotContain(hub.Log, l => l.Method == "GET" && l.Path.StartsWith("/cdn/"));
        env.AssertNothingInstalled("mert");
        Assert.Empty(pinned.Warnings.Where(w => w.Contains("verified by the Hugging Face hub")));
    }

    [SkippableFact]
    public void RevisionThatNoLongerResolves_IsSaidClearly()
    {
        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.MertRepo).Commit(HubFixtures.Mert()); // the pinned revision is gone from this hub
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();
        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model Mert -AcceptLicense -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains($"the revision {HubFixtures.MertRevision} no longer resolves in {HubFixtures.MertRepo}", message);
        env.AssertNothingInstalled("mert");
    }

    [SkippableTheory]
    [InlineData("hash", "as downloaded has SHA-256")]
    [InlineData("size", "longer than the")]
    [InlineData("nohash", "advertised no content hash")]
    public void LyingHub_IsRefused_NamingFileRepositoryRevision_AndNothingStays(string lie, string expected)
    {
        using var hub = new LoopbackHub();
        var m = lie switch
        {
            "hash" => new Misbehaviour { AdvertiseSha256 = new string('a', 64) },
            "size" => new Misbehaviour { SizeLie = -100 },
            _ => new Misbehaviour { NoHash = true },
        };
        hub.Repo(HubFixtures.EncodecRepo).Commit(new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() }, misbehaviours: new() { [HubFixtures.EncodecFile] = m });
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();
        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains($"{HubFixtures.EncodecFile} of {HubFixtures.EncodecRepo} at revision main", message);
        Assert.Contains(expected, message);
        env.AssertNothingInstalled("encodecmae");
    }

    [SkippableFact]
    public void DroppedDownload_Resumes_AndIsNeverUsedBeforeItsHashMatches()
    {
        using var hub = new LoopbackHub();
        var bytes = HubFixtures.Encodec();
        hub.Repo(HubFixtures.EncodecRepo).Commit(new() { [HubFixtures.EncodecFile] = bytes }, misbehaviours: new() { [HubFixtures.EncodecFile] = new Misbehaviour { DropFirstDownloadAfter = 100_000 } });
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();
        var first = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains("run the install again to resume", first);
        Assert.False(env.Installed("encodecmae", "mel256-ec-base_st"));
        var partial = Assert.Single(Directory.GetFiles(Path.Combine(env.Store, "downloads")));
        Assert.Equal(LoopbackHub.Sha256(bytes) + ".partial", Path.GetFileName(partial));
        long kept = new FileInfo(partial).Length;

        host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.Contains(hub.Log, l => l.Path.StartsWith("/cdn/") && l.Range == $"bytes={kept}-");
        Assert.Empty(Directory.GetFiles(Path.Combine(env.Store, "downloads")));
        Assert.True(env.Installed("encodecmae", "mel256-ec-base_st"));
    }

    [SkippableFact]
    public void FineTunedRepository_InstallsUnderAName_AndIsUsedAsVariant()
    {
        using var hub = new LoopbackHub();
        var commit = hub.Repo("someone/encodecmae-finetuned").Commit(new() { ["checkpoints/best.pt"] = HubFixtures.Encodec() }, branch: "v1");
        hub.Repo("someone/mert-finetuned").Commit(HubFixtures.Mert());
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();

        host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository someone/encodecmae-finetuned -Revision v1 -File checkpoints/best.pt -Name ft -ModelPath '{env.Store}'").ThrowIfErrors();
        var source = env.Manifest("encodecmae", "ft").Sources.Single();
        Assert.Equal(("someone/encodecmae-finetuned", "v1", commit, Verification.Hub), (source.Repository, source.Revision, source.Commit, source.Verification));
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.EncodecWav}' -Model EnCodecMAE -Variant ft -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(HubFixtures.EncodecMeanPooled, e.Vector, 1e-4, 0, "fine-tuned stand-in");

        // A repository's MERT checkpoint is custom: no -AcceptLicense asked (its own licence applies).
        host.Run($"Install-AudioEmbedModel -Model Mert -Repository someone/mert-finetuned -Name mft -ModelPath '{env.Store}'").ThrowIfErrors();
        var m = host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.MertWav}' -Model Mert -Variant mft -ModelPath '{env.Store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(HubFixtures.MertMeanPooled, m.Vector, 1e-4, 0, "fine-tuned MERT stand-in");

        var noName = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository someone/encodecmae-finetuned -File x.pt -ModelPath '{env.Store}'").Errors);
        Assert.Contains("-Name", noName.Exception.Message);
        var climb = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository someone/encodecmae-finetuned -File '../../etc/x.pt' -Name bad -ModelPath '{env.Store}'").Errors);
        Assert.Contains("'../../etc/x.pt' is not a usable file name", climb.Exception.Message);
        Assert.False(env.Installed("encodecmae", "bad"));
    }

    [SkippableFact]
    public void Token_GoesOnlyToTheHub_AndAppearsInNoOutputStreamOrFile()
    {
        const string Token = "hf_SECRETtoken_do_not_leak_4242";
        using var cdn = new LoopbackHub();
        using var hub = new LoopbackHub { ExternalCdn = cdn };
        hub.Repo("org/private", requiredToken: Token).Commit(new() { ["model.pt"] = HubFixtures.Encodec() }, misbehaviours: new() { ["model.pt"] = new Misbehaviour { RedirectToOtherHost = true } });
        using var env = new HubEnvironment(hub.BaseUrl);
        using var host = new ModuleHost();
        var all = new StringBuilder();
        void Collect(ScriptResult r)
        {
            foreach (var o in r.Output) all.AppendLine(o.ToString()).AppendLine(System.Text.Json.JsonSerializer.Serialize(o.BaseObject));
            foreach (var e in r.Errors) all.AppendLine(e.ToString()).AppendLine(e.Exception.ToString()).AppendLine(e.TargetObject?.ToString());
            r.Warnings.ForEach(w => all.AppendLine(w));
            r.Verbose.ForEach(v => all.AppendLine(v));
            r.Information.ForEach(i => all.AppendLine(i));
            foreach (var p in r.Progress) all.AppendLine(p.Activity).AppendLine(p.StatusDescription).AppendLine(p.CurrentOperation);
            all.AppendLine(r.Terminating?.ToString());
        }

        var without = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository org/private -File model.pt -Name priv -ModelPath '{env.Store}' -Verbose");
        Collect(without);
        Assert.Contains("401", Assert.Single(without.Errors).Exception.Message);

        env.Set("HF_TOKEN", Token);
        var with = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository org/private -File model.pt -Name priv -ModelPath '{env.Store}' -Verbose");
        Collect(with.ThrowIfErrors());
        Collect(host.Run($"Get-AudioEmbedModel EnCodecMAE -ModelPath '{env.Store}'"));
        Collect(host.Run($"Get-AudioEmbedding -LiteralPath '{HubFixtures.EncodecWav}' -Model EnCodecMAE -Variant priv -ModelPath '{env.Store}' -Verbose").ThrowIfErrors());

        Assert.Contains(hub.Log, l => l.Authorization == "Bearer " + Token);
        Assert.NotEmpty(cdn.Log);
        Assert.All(cdn.Log, l => Assert.Null(l.Authorization));
        Assert.DoesNotContain(Token, all.ToString());
        foreach (var file in Directory.GetFiles(env.Store, "*", SearchOption.AllDirectories))
            Assert.False(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)) >= 0, $"the token is in '{file}'");
    }

    [SkippableFact]
    public void StalledHub_IsGivenUpAfterHfHubTimeouts_WithoutTheToken_AndNothingStays()
    {
        // The huggingface_hub variables set for the Python tools apply here too; the token is in no message.
        const string Token = "hf_STALLsecret_do_not_leak_9090";
        using var hub = new LoopbackHub();
        hub.Repo("org/slow", requiredToken: Token).Commit(new() { ["silent.pt"] = HubFixtures.Encodec(), ["stalls.pt"] = HubFixtures.Encodec() },
            misbehaviours: new() { ["silent.pt"] = new Misbehaviour { SilentMetadata = true }, ["stalls.pt"] = new Misbehaviour { StallFirstDownloadAfter = 50_000 } });
        using var env = new HubEnvironment(hub.BaseUrl, token: Token);
        env.Set(DownloadTimeouts.StallVariable, null);
        env.Set(DownloadTimeouts.HubDownloadVariable, "1");
        env.Set(DownloadTimeouts.HubEtagVariable, "1");
        using var host = new ModuleHost();

        var silent = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository org/slow -File silent.pt -Name s1 -ModelPath '{env.Store}' -Verbose");
        var m1 = Assert.Single(silent.Errors).Exception.Message;
        Assert.Contains("silent.pt of org/slow at revision main", m1);
        Assert.Contains("no answer to the metadata request within 1 s (HF_HUB_ETAG_TIMEOUT", m1);

        var stalled = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository org/slow -File stalls.pt -Name s2 -ModelPath '{env.Store}' -Verbose");
        var m2 = Assert.Single(stalled.Errors).Exception.Message;
        Assert.Contains("stalls.pt of org/slow at revision main", m2);
        Assert.Contains("no data for 1 s after 50 kB of", m2);
        Assert.Contains("run the install again to resume", m2);
        Assert.False(env.Installed("encodecmae", "s1") || env.Installed("encodecmae", "s2"));

        foreach (var r in new[] { silent, stalled })
        {
            var all = string.Join("\n", r.Errors.Select(e => e.ToString() + e.Exception + e.TargetObject).Concat(r.Warnings).Concat(r.Verbose)
                .Concat(r.Progress.Select(p => p.Activity + p.StatusDescription + p.CurrentOperation)));
            Assert.DoesNotContain(Token, all);
        }
        foreach (var file in Directory.GetFiles(env.Store, "*", SearchOption.AllDirectories))
            Assert.False(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Token)) >= 0, $"the token is in '{file}'");
    }

    [SkippableFact]
    public void TokenSavedByHuggingFaceCliLogin_IsUsed_WhenHfTokenIsNotSet()
    {
        const string Token = "hf_fromTokenFile_1234";
        using var hub = new LoopbackHub();
        hub.Repo("org/private", requiredToken: Token).Commit(new() { ["model.pt"] = HubFixtures.Encodec() });
        using var env = new HubEnvironment(hub.BaseUrl);
        var hfHome = TestStore.TempDir("hf-home");
        File.WriteAllText(Path.Combine(hfHome, "token"), Token + "\n");
        env.Set("HF_HOME", hfHome);
        env.Set("HF_TOKEN_PATH", null);
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -Repository org/private -File model.pt -Name priv -ModelPath '{env.Store}'").ThrowIfErrors();
        Assert.Contains(hub.Log, l => l.Authorization == "Bearer " + Token);
        Assert.DoesNotContain(r.Warnings, w => w.Contains(Token));
    }

    [SkippableFact]
    public void HfHubOffline_BehavesLikeAudioEmbedOffline()
    {
        using var hub = new LoopbackHub();
        hub.Repo(HubFixtures.EncodecRepo).Commit(new() { [HubFixtures.EncodecFile] = HubFixtures.Encodec() });
        using var env = new HubEnvironment(hub.BaseUrl);
        env.Set("HF_HUB_OFFLINE", "1");
        using var host = new ModuleHost();
        var message = Assert.Single(host.Run($"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains("downloads are off", message);
        Assert.Empty(hub.Log);
        var musicnn = Assert.Single(host.Run($"Install-AudioEmbedModel -Model MusiCNN -Variant MSD_vgg -ModelPath '{env.Store}'").Errors).Exception.Message;
        Assert.Contains("not allowed", musicnn);
    }
}
