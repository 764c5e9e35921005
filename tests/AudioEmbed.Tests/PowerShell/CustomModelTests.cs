using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Checkpoints that are not in the catalog: installed under a name of the user's and used by that name.</summary>
[Collection(PowerShellCollection.Name)]
public class CustomModelTests
{
    [SkippableFact]
    public void CustomCheckpoint_InstallsUnderItsName_AndIsUsedWithVariant()
    {
        var store = TestStore.TempDir("store");
        // Stands in for a fine-tuned musicnn: same architecture, a file the catalog does not pin.
        var tuned = Path.Combine(TestStore.TempDir("tuned"), "my-tagger.h5");
        File.Copy(SharedData.Require("models", "musicnn", "MSD_musicnn.h5"), tuned);
        var audio = TestAudio.Tone(TestStore.TempDir("audio"), "a.wav", 4);
        using var host = new ModuleHost();

        var r = host.Run($"Install-AudioEmbedModel MusiCNN -Variant MTT_musicnn -Name my-tagger -SourcePath '{tuned}' -ModelPath '{store}'").ThrowIfErrors();
        Assert.Contains(r.Warnings, w => w.Contains("unverified") && w.Contains("custom"));
        var manifest = ModelManifest.Load(Path.Combine(store, "models", "musicnn", "my-tagger", "manifest.json"));
        Assert.True(manifest.Custom);
        Assert.Equal("MTT_musicnn", manifest.BaseVariant);
        Assert.Equal("412a832c8527a813e084ba6f2cc7d068ecbbf1b68bda8c1de2e7de0d1f5fe7d1", manifest.Sources.Single().Sha256);

        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{audio}' -Variant my-tagger -ModelPath '{store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("my-tagger", 753), (e.Variant, e.Dimension));
        var listed = host.Run($"Get-AudioEmbedModel MusiCNN -ModelPath '{store}' -Installed").ThrowIfErrors().All<ModelStatus>();
        Assert.Equal(new[] { "my-tagger" }, listed.Select(s => s.Variant));
    }

    [SkippableFact]
    public void CustomCheckpoint_OfTheWrongArchitecture_InstallsNothing()
    {
        var store = TestStore.TempDir("store");
        var vgg = SharedData.Require("models", "musicnn", "MTT_vgg.h5");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel MusiCNN -Variant MTT_musicnn -Name wrong -SourcePath '{vgg}' -ModelPath '{store}'");
        var error = Assert.Single(r.Errors);
        Assert.Contains("batch_normalization", error.Exception.Message);
        Assert.Contains("Nothing was installed", error.Exception.Message);
        Assert.Empty(Directory.GetDirectories(Path.Combine(store, "models", "musicnn")));
    }

    [Theory]
    [InlineData("MTT_vgg", "catalog variant")]
    [InlineData("../escape", "cannot name a model")]
    public void BadCustomNames_AreRefused(string name, string expected)
    {
        var store = TestStore.TempDir("store");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel MusiCNN -Name '{name}' -SourcePath '/nonexistent.h5' -ModelPath '{store}'");
        Assert.Contains(expected, Assert.Single(r.Errors).Exception.Message);
    }

    [Fact]
    public void UnknownVariant_SaysWhatExists()
    {
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '/nonexistent.wav' -Variant nope -ModelPath '{TestStore.TempDir("store")}'");
        var error = Assert.Single(r.Errors);
        Assert.Contains("neither in the catalog", error.Exception.Message);
        Assert.Contains("MTT_musicnn", error.Exception.Message);
    }
}
