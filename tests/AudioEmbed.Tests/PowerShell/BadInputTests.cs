using System.Management.Automation;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Bad input: a clear error naming the file and the problem, and the pipeline goes on.</summary>
[Collection(PowerShellCollection.Name)]
public class BadInputTests
{
    [SkippableFact]
    public void MissingPath_AndNonAudioFile_AreNonTerminating_AndTheNextFileGoesOn()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("bad");
        var good = TestAudio.Tone(dir, "good.wav", 4);
        var text = Path.Combine(dir, "notes.wav");
        File.WriteAllText(text, "this is a text file with a .wav name, not audio");
        var missing = Path.Combine(dir, "missing.wav");
        using var host = new ModuleHost();

        var r = host.Run($"'{missing}', '{text}', '{good}' | Get-AudioEmbedding");
        Assert.Null(r.Terminating);
        Assert.Single(r.Output);
        Assert.Equal("good", r.Single<AudioEmbedding>().Name);
        Assert.Equal(2, r.Errors.Count);
        Assert.StartsWith("AudioEmbed.PathNotFound", r.Errors[0].FullyQualifiedErrorId);
        Assert.Contains(missing, r.Errors[0].Exception.Message);
        Assert.StartsWith("AudioEmbed.AudioDecodeFailed", r.Errors[1].FullyQualifiedErrorId);
        Assert.Contains(text, r.Errors[1].Exception.Message);
        Assert.Equal(ErrorCategory.InvalidData, r.Errors[1].CategoryInfo.Category);
        Assert.Equal(text, r.Errors[1].TargetObject);
    }

    [SkippableFact]
    public void CorruptAndEmptyFiles_FromTheSharedCorpus_GiveErrorsNotCrashes()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var corpus = SharedData.Require("fixtures", "corrupt");
        using var host = new ModuleHost();
        var files = Directory.GetFiles(corpus).Where(f => !f.EndsWith(".json") && !f.EndsWith(".md")).OrderBy(f => f).ToArray();
        var r = host.Run("$files | Get-AudioEmbedding", new Dictionary<string, object?> { ["files"] = files });
        Assert.Null(r.Terminating);
        // Every file yields exactly one embedding or one error naming it.
        Assert.Equal(files.Length, r.Output.Count + r.Errors.Count);
        Assert.All(r.Errors, e => Assert.Contains(Path.GetFileName((string)e.TargetObject), e.Exception.Message));
    }

    [SkippableFact]
    public void ShortFile_UnderOnePatch_StillGivesAnEmbedding()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("short");
        var path = TestAudio.Tone(dir, "one-second.wav", 1);
        using var host = new ModuleHost();
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{path}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(1, e.Patches);
        Assert.Equal(753, e.Vector.Length);
        Assert.All(e.Vector, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void ModelNotInstalled_SaysWhichCommandInstallsIt()
    {
        var emptyStore = TestStore.TempDir("empty-store");
        var dir = TestStore.TempDir("audio");
        var path = TestAudio.Tone(dir, "a.wav", 4);
        _ = TestStore.Home; // sets AUDIOEMBED_OFFLINE for the process
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -ModelPath '{emptyStore}'");
        // Statement-terminating: one error for the whole call, no output.
        var error = Assert.Single(r.Errors);
        Assert.Empty(r.Output);
        Assert.Contains("Install-AudioEmbedModel -Model MusiCNN -Variant MTT_musicnn -SourcePath", error.Exception.Message);
        Assert.StartsWith("AudioEmbed.ModelUnavailable", error.FullyQualifiedErrorId);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(emptyStore, "models", "musicnn")).Where(e => !e.EndsWith(".lock")));
    }

    [SkippableFact]
    public void UnavailableDevice_IsOneClearTerminatingError()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("audio");
        var path = TestAudio.Tone(dir, "a.wav", 4);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -Device Cuda");
        var error = Assert.Single(r.Errors);
        Assert.Empty(r.Output);
        Assert.Contains("CUDA", error.Exception.Message);
        Assert.Contains("-Flavor Cuda", error.Exception.Message);
        Assert.StartsWith("AudioEmbed.DeviceUnavailable", error.FullyQualifiedErrorId);
    }

    [SkippableFact]
    public void UnknownLayer_FailsOnceWithTheLayersListed()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var dir = TestStore.TempDir("audio");
        var path = TestAudio.Tone(dir, "a.wav", 4);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -Layer pool5");
        var error = Assert.Single(r.Errors);
        Assert.Empty(r.Output);
        Assert.Contains("mean_pool, max_pool, penultimate, taggram", error.Exception.Message);
        Assert.StartsWith("AudioEmbed.InvalidLayer", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }
}
