using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Library;

/// <summary>Issue #14.5 through the cmdlets: every configuration has its own folder; nothing of another configuration is overwritten unless -Force.</summary>
[Collection(PowerShellCollection.Name)]
public class ConfigurationFolderTests
{
    private static (string Audio, string Out, string[] Files) Library(int songs)
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audio = TestStore.TempDir("library");
        var files = Enumerable.Range(0, songs).Select(i => TestAudio.Tone(audio, $"s{i}.wav", 3.2, hz: 230 + 170 * i)).ToArray();
        return (audio, TestStore.TempDir("out"), files);
    }

    [SkippableFact]
    public void Taggram_GoesToItsOwnFolder_AndStatusSkipExistingImportFollow()
    {
        var (audio, output, _) = Library(2);
        using var host = new ModuleHost();
        var all = $"[System.IO.Directory]::GetFiles('{audio}', '*.wav')";
        host.Run($"{all} | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var root = Path.Combine(output, "musicnn");
        var meanPool = File.ReadAllBytes(Path.Combine(root, "s0.npy"));

        var r = host.Run($"{all} | Get-AudioEmbedding -Layer taggram | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.All(r.Output, o => Assert.Equal("Written", o.Properties["Status"].Value.ToString()));
        var taggramDir = Path.Combine(root, "MTT_musicnn.taggram.mean");
        Assert.Equal(new[] { 50 }, NpyReader.Read(Path.Combine(taggramDir, "s0.npy")).Shape);
        Assert.Equal(meanPool, File.ReadAllBytes(Path.Combine(root, "s0.npy"))); // the default configuration is untouched
        Assert.Equal(new[] { 753 }, NpyReader.Read(Path.Combine(root, "s1.npy")).Shape);

        // -Pooling None and Int8-free variants: one more folder each, the name parses back.
        host.Run($"Get-AudioEmbedding '{Path.Combine(audio, "s0.wav")}' -Pooling None | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.True(File.Exists(Path.Combine(root, "MTT_musicnn.mean_pool.none", "s0.npy")));

        var records = EmbeddingManifest.Load(root);
        Assert.Equal(("taggram", "Mean", "Float32"), (records["MTT_musicnn.taggram.mean/s0.npy"].Layer, records["MTT_musicnn.taggram.mean/s0.npy"].Pooling, records["MTT_musicnn.taggram.mean/s0.npy"].Precision));
        Assert.Equal("mean_pool", records["s0.npy"].Layer);

        var status = host.Run($"Get-EmbeddingStatus '{audio}' -Model MusiCNN -OutputDirectory '{output}' -Layer taggram").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((2, 2, 0, 0, 0), (status.AudioFiles, status.Valid, status.Missing, status.Orphaned, status.Stale));
        Assert.Equal(taggramDir, status.EmbeddingDirectory);
        var byDefault = host.Run($"Get-EmbeddingStatus '{audio}' -Model MusiCNN -OutputDirectory '{output}'").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((2, 0, 0), (byDefault.Valid, byDefault.Orphaned, byDefault.Stale)); // configuration folders are not orphans
        var maxPool = host.Run($"Get-EmbeddingStatus '{audio}' -Model MusiCNN -OutputDirectory '{output}' -Layer max_pool").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((0, 2), (maxPool.Valid, maxPool.Missing));

        Assert.Empty(host.Run($"{all} | Get-AudioEmbedding -Layer taggram -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors().Output);
        Assert.Equal(2, host.Run($"{all} | Get-AudioEmbedding -Layer max_pool -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors().Output.Count);

        var imported = host.Run($"Import-EmbeddingNpy -LiteralPath '{Path.Combine(taggramDir, "s1.npy")}'").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "MTT_musicnn", "taggram", 50), (imported.Model, imported.Variant, imported.Layer, imported.Dimension));
    }

    [SkippableFact]
    public void FileOfAnotherConfiguration_IsAConflict_UnlessForce()
    {
        var (audio, output, files) = Library(2);
        using var host = new ModuleHost();
        var root = Path.Combine(output, "musicnn");
        Directory.CreateDirectory(root);
        // What an older version left: a taggram in the default folder, recorded as such in the manifest.
        var old = Path.Combine(root, "s0.npy");
        using (var s = File.Create(old)) NpyWriter.Write(s, new float[50], new[] { 50 });
        EmbeddingManifest.Append(root, new EmbeddingRecord { Output = "s0.npy", Source = files[0], Model = "MusiCNN", Variant = "MTT_musicnn", Layer = "taggram", Pooling = "Mean" });
        // A seed-pipeline file without a manifest line, of another shape than mean_pool.
        var seed = Path.Combine(root, "s1.npy");
        using (var s = File.Create(seed)) NpyWriter.Write(s, new float[200], new[] { 200 });
        var (oldBefore, seedBefore) = (File.ReadAllBytes(old), File.ReadAllBytes(seed));

        var r = host.Run($"'{files[0]}', '{files[1]}' | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'");
        Assert.Equal(2, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("AudioEmbed.ConfigurationConflict", e.FullyQualifiedErrorId));
        var first = r.Errors[0].Exception.Message;
        Assert.Contains(old, first);
        Assert.Contains("layer taggram", first);
        Assert.Contains("layer mean_pool", first);
        Assert.Contains("shape (200)", r.Errors[1].Exception.Message);
        Assert.Equal(new[] { "Failed", "Failed" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(oldBefore, File.ReadAllBytes(old));
        Assert.Equal(seedBefore, File.ReadAllBytes(seed));

        // -SkipExisting does not take the other configuration's file for this one.
        Assert.Equal("s0", host.Run($"Get-AudioEmbedding '{files[0]}' -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors().Single<AudioEmbedding>().Name);
        Assert.Equal(1, host.Run($"Get-EmbeddingStatus '{audio}' -Model MusiCNN -OutputDirectory '{output}'").ThrowIfErrors().Single<EmbeddingStatusReport>().Stale);

        r = host.Run($"'{files[0]}', '{files[1]}' | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}' -Force").ThrowIfErrors();
        Assert.Equal(new[] { "Written", "Written" }, r.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.Equal(new[] { 753 }, NpyReader.Read(old).Shape);
        Assert.Equal(new[] { 753 }, NpyReader.Read(seed).Shape);
        // Same configuration again: no conflict, plain overwrite as before.
        host.Run($"'{files[0]}' | Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
    }

    [SkippableFact]
    public void RelativeLayout_PutsTheMirroredFoldersInsideTheConfigurationFolder()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var library = TestStore.TempDir("library");
        var a = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(library, "Artist A")).FullName, "Intro.wav", 3.2, hz: 300);
        var b = TestAudio.Tone(Directory.CreateDirectory(Path.Combine(library, "Artist B")).FullName, "Intro.wav", 3.2, hz: 900);
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        var common = $"-OutputDirectory '{output}' -Layout Relative -RelativeTo '{library}'";
        host.Run($"'{a}', '{b}' | Get-AudioEmbedding | Export-EmbeddingNpy {common}").ThrowIfErrors();
        host.Run($"'{a}', '{b}' | Get-AudioEmbedding -Layer taggram | Export-EmbeddingNpy {common}").ThrowIfErrors();
        Assert.True(File.Exists(Path.Combine(output, "musicnn", "MTT_musicnn.taggram.mean", "Artist B", "Intro.npy")));

        var byDefault = host.Run($"Get-EmbeddingStatus '{library}' -Recurse -Model MusiCNN {common}").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((2, 0, 0), (byDefault.Valid, byDefault.Orphaned, byDefault.Invalid)); // the taggram folder is not the default's orphans
        var taggram = host.Run($"Get-EmbeddingStatus '{library}' -Recurse -Model MusiCNN -Layer taggram {common}").ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal((2, 0), (taggram.Valid, taggram.Orphaned));
        Assert.Empty(host.Run($"'{a}', '{b}' | Get-AudioEmbedding -Layer taggram -SkipExisting {common}").ThrowIfErrors().Output);

        // The search reads one configuration: the two songs of the default folder, not the taggram files.
        var hits = host.Run($"Find-SimilarAudio '{a}' -OutputDirectory '{output}'").ThrowIfErrors().All<AudioEmbed.Core.Library.SimilarAudio>().ToList();
        Assert.Equal(b, Assert.Single(hits).AudioPath);
    }

    [Fact]
    public void FolderNames_AreStableAndParseBack()
    {
        var family = TestStore.Catalog.Family("Mert");
        var c = new EmbeddingConfiguration("MERT-v1-330M", "12", Pooling.None, Core.Onnx.Precision.Int8);
        Assert.Equal("MERT-v1-330M.12.none.int8", c.FolderName);
        Assert.True(EmbeddingConfiguration.TryParseFolderName(c.FolderName, out var back) && back.SameAs(c));
        Assert.True(EmbeddingConfiguration.TryParseFolderName("my.custom.v2.last.max", out var custom));
        Assert.Equal(("my.custom.v2", "last", Pooling.Max), (custom.Variant, custom.Layer, custom.Pooling));
        Assert.Equal("", OutputLayout.ConfigurationFolder(family, new EmbeddingConfiguration("mert-v1-95m", "LAST", Pooling.Mean)));
        Assert.False(EmbeddingConfiguration.TryParseFolderName("Artist A", out _));
        Assert.False(EmbeddingConfiguration.TryParseFolderName("Live.2001", out _));
        Assert.False(EmbeddingConfiguration.TryParseFolderName(".library", out _));
    }
}
