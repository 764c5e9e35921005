using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Install-AudioEmbedModel / Get-AudioEmbedModel: offline installs, hash checks, nothing half-installed.</summary>
[Collection(PowerShellCollection.Name)]
public class InstallTests
{
    [SkippableFact]
    public void InstallFromSourcePath_ConvertsAndListsTheModel()
    {
        var store = TestStore.TempDir("store");
        var h5 = SharedData.Require("models", "musicnn", "MTT_vgg.h5");
        using var host = new ModuleHost();
        var installed = host.Run($"Install-AudioEmbedModel -Model MusiCNN -Variant MTT_vgg -SourcePath '{h5}' -ModelPath '{store}'").ThrowIfErrors().Single<ModelStatus>();
        Assert.True(installed.Installed);
        Assert.Equal(128, installed.Dimension);
        Assert.True(installed.SizeBytes > 1_000_000);

        var manifest = ModelManifest.Load(Path.Combine(store, "models", "musicnn", "MTT_vgg", "manifest.json"));
        Assert.Equal("52093b533665403c182b3e9cb552ccf09cb90d8c0c7e9d531159c2369b53b548", manifest.Sources.Single().Sha256);
        Assert.Equal(h5, manifest.Sources.Single().Origin);
        Assert.Equal(50, manifest.Labels.Length);

        var listed = host.Run($"Get-AudioEmbedModel -Model MusiCNN -ModelPath '{store}'").ThrowIfErrors().All<ModelStatus>().ToList();
        Assert.Equal(4, listed.Count);
        Assert.Equal(new[] { "MTT_vgg" }, listed.Where(s => s.Installed).Select(s => s.Variant));
        Assert.Single(listed, s => s.IsDefault && s.Variant == "MTT_musicnn");
    }

    [SkippableFact]
    public void WrongCheckpoint_FailsItsHash_AndInstallsNothing()
    {
        var store = TestStore.TempDir("store");
        var wrong = SharedData.Require("models", "musicnn", "MSD_musicnn.h5");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath '{wrong}' -ModelPath '{store}'");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AudioEmbed.InstallFailed", error.FullyQualifiedErrorId);
        Assert.Contains("SHA-256", error.Exception.Message);
        Assert.Contains("Nothing was installed", error.Exception.Message);
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MTT_musicnn")));
        Assert.Empty(Directory.GetDirectories(Path.Combine(store, "models", "musicnn")));
    }

    [Fact]
    public void MissingSource_IsAClearError()
    {
        var store = TestStore.TempDir("store");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel MusiCNN -SourcePath '/nonexistent/MTT_musicnn.h5' -ModelPath '{store}'");
        Assert.Contains("does not exist", Assert.Single(r.Errors).Exception.Message);
    }

    [Fact]
    public void OfflineDownload_SaysWhy()
    {
        _ = TestStore.Home; // AUDIOEMBED_OFFLINE=1
        var store = TestStore.TempDir("store");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -ModelPath '{store}'");
        Assert.Contains("AUDIOEMBED_OFFLINE", Assert.Single(r.Errors).Exception.Message);
    }

    [SkippableFact]
    public void InstallFromFolder_FindsTheCatalogFileName_AndWhatIfChangesNothing()
    {
        var store = TestStore.TempDir("store");
        var folder = Path.GetDirectoryName(SharedData.Require("models", "musicnn", "MSD_vgg.h5"))!;
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -SourcePath '{folder}' -ModelPath '{store}' -WhatIf").ThrowIfErrors();
        Assert.False(Directory.Exists(Path.Combine(store, "models", "musicnn", "MSD_vgg")));
        host.Run($"Install-AudioEmbedModel MusiCNN MSD_vgg -SourcePath '{folder}' -ModelPath '{store}'").ThrowIfErrors();
        Assert.True(File.Exists(Path.Combine(store, "models", "musicnn", "MSD_vgg", "model.onnx")));
    }

    [SkippableFact]
    public void ForceReinstall_AfterUse_KeepsWorkingInTheSameSession()
    {
        // Guards against a cached extractor holding a session over the replaced model file.
        var store = TestStore.TempDir("store");
        var h5 = SharedData.Require("models", "musicnn", "MTT_musicnn.h5");
        var audio = TestAudio.Tone(TestStore.TempDir("audio"), "a.wav", 4);
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel MusiCNN -SourcePath '{h5}' -ModelPath '{store}'").ThrowIfErrors();
        var before = host.Run($"Get-AudioEmbedding -LiteralPath '{audio}' -ModelPath '{store}'").ThrowIfErrors().Single<AudioEmbed.Core.Pipeline.AudioEmbedding>();
        host.Run($"Install-AudioEmbedModel MusiCNN -SourcePath '{h5}' -ModelPath '{store}' -Force").ThrowIfErrors();
        var after = host.Run($"Get-AudioEmbedding -LiteralPath '{audio}' -ModelPath '{store}'").ThrowIfErrors().Single<AudioEmbed.Core.Pipeline.AudioEmbedding>();
        Assert.Equal(before.Vector, after.Vector);
    }
}
