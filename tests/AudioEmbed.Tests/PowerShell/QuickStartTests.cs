using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// The README quick start, run in a hosted PowerShell engine on the two real songs (their reference
/// 16 kHz waveforms written as WAV) for all four variants, compared with the upstream reference outputs.
/// Tolerance: the frontend matches the reference patches to 5e-4 and the model outputs to 1e-3 (fixture
/// README); pooled over patches that gives 2e-3 abs for features and 1e-3 for tag likelihoods.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class QuickStartTests
{
    public static TheoryData<string, string, string, string> Variants() => new()
    {
        // variant, layer whose pooled value is compared, reference file, pooling
        { "MTT_musicnn", "mean_pool", "mean_pool", "Mean" },
        { "MSD_musicnn", "mean_pool", "mean_pool", "Mean" },
        { "MTT_musicnn", "max_pool", "max_pool", "Max" },
        { "MTT_musicnn", "penultimate", "penultimate", "Mean" },
        { "MTT_vgg", "taggram", "taggram", "Mean" },
        { "MSD_vgg", "taggram", "taggram", "Mean" },
    };

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void QuickStart_ExportsTheReferenceEmbedding(string variant, string layer, string reference, string pooling)
    {
        TestStore.WithMusicnn(variant);
        var audioDir = TestStore.TempDir("audio");
        var outDir = TestStore.TempDir("out");
        TestAudio.ReferenceSong(audioDir, TestAudio.SongA);
        TestAudio.ReferenceSong(audioDir, TestAudio.SongB);
        using var host = new ModuleHost();

        var result = host.Run($@"
            [System.IO.DirectoryInfo]::new('{audioDir}').GetFiles('*.wav') |
                Get-AudioEmbedding -Model MusiCNN -Variant {variant} -Layer {layer} -Pooling {pooling} |
                Export-EmbeddingNpy -OutputDirectory '{outDir}'").ThrowIfErrors();
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Written", o.Properties["Status"].Value.ToString()));

        foreach (var song in new[] { TestAudio.SongA, TestAudio.SongB })
        {
            // Only MTT_musicnn mean_pool Mean is the default configuration; the others have their own folder.
            var folder = Core.Output.OutputLayout.ConfigurationFolder(TestStore.Catalog.Family("MusiCNN"),
                new Core.Output.EmbeddingConfiguration(variant, layer, Enum.Parse<Pooling>(pooling)));
            var written = NpyReader.Read(Path.Combine(outDir, "musicnn", folder, song + ".npy"));
            var refRows = SharedData.Npy("fixtures", "musicnn", song, $"reference_{variant}", reference + ".npy");
            int rows = refRows.Shape[0], dim = refRows.Shape[1];
            Assert.Equal(new[] { dim }, written.Shape);
            Assert.Equal("<f4", written.DType);
            var values = refRows.ToFloat32();
            var expected = pooling == "Max" ? Pooler.Max(values, rows, dim) : Pooler.Mean(values, rows, dim);
            Tolerance.AllClose(expected, written.ToFloat32(), layer == "taggram" ? 1e-3 : 2e-3, 0, $"{variant}/{layer} of {song}");
        }
    }

    [SkippableTheory]
    [InlineData("MTT_musicnn")]
    [InlineData("MSD_musicnn")]
    [InlineData("MTT_vgg")]
    [InlineData("MSD_vgg")]
    public void TopTags_AreTheReferenceTopTags(string variant)
    {
        var store = TestStore.WithMusicnn(variant);
        var labels = store.Find("MusiCNN", variant)!.Manifest.Labels;
        var audioDir = TestStore.TempDir("audio");
        var path = TestAudio.ReferenceSong(audioDir, TestAudio.SongB);
        using var host = new ModuleHost();
        var embedding = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -Variant {variant} -IncludeTags -Top 5").ThrowIfErrors().Single<AudioEmbedding>();

        var taggram = SharedData.Npy("fixtures", "musicnn", TestAudio.SongB, $"reference_{variant}", "taggram.npy");
        var mean = Pooler.Mean(taggram.ToFloat32(), taggram.Shape[0], taggram.Shape[1]);
        var expectedTop = mean.Select((s, i) => (s, i)).OrderByDescending(t => t.s).Take(5).ToArray();
        Assert.Equal(expectedTop.Select(t => labels[t.i]), embedding.Tags!.Select(t => t.Tag));
        for (int k = 0; k < 5; k++) Assert.InRange(embedding.Tags![k].Score, expectedTop[k].s - 1e-3, expectedTop[k].s + 1e-3);
    }

    [SkippableFact]
    public void DefaultEmbedding_Is753MeanPoolOfMttMusicnn_AsTheSeedWrote()
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var audioDir = TestStore.TempDir("audio");
        var path = TestAudio.ReferenceSong(audioDir, TestAudio.SongA);
        using var host = new ModuleHost();
        var e = host.Run($"Get-AudioEmbedding '{path}' -Model MusiCNN").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(("MusiCNN", "MTT_musicnn", "mean_pool", 753, 10), (e.Model, e.Variant, e.Layer, e.Dimension, e.Patches));
        Assert.Equal(16000, e.SampleRate);
        Assert.InRange(e.Duration.TotalSeconds, 29.94, 29.95); // 479159 samples at 16 kHz
    }
}
