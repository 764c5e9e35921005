using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// EnCodecMAE through the cmdlets with the tiny real-format checkpoint of ../shared/fixtures/encodecmae
/// (installed as a custom checkpoint, since the catalog variants' weights are not here). Tolerances from the
/// fixture README: features 1e-3 abs + 1e-3 rel, mean-pooled 1e-4 abs.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class EncodecMaeCmdletTests
{
    private static (ModuleHost Host, string Store, string Wav) Setup()
    {
        var store = TestStore.TempDir("store");
        var checkpoint = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        var wav = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "input.wav");
        var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath '{checkpoint}' -ModelPath '{store}'").ThrowIfErrors();
        return (host, store, wav);
    }

    [SkippableFact]
    public void TinyModel_MeanPooledEmbedding_MatchesUpstream_AndExports()
    {
        var (host, store, wav) = Setup();
        using var _ = host;
        var output = TestStore.TempDir("out");
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model EnCodecMAE -Variant tiny-mel256 -ModelPath '{store}' | Export-EmbeddingNpy -OutputDirectory '{output}' -PassThru").ThrowIfErrors();
        var written = NpyReader.Read(Path.Combine(output, "encodecmae", "tiny-mel256.last.mean", "input.npy")); // a custom variant's configuration folder
        Assert.Equal(new[] { 32 }, written.Shape);
        Tolerance.AllClose(SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "mean_pooled.npy").ToFloat32(), written.ToFloat32(), 1e-4, 0, "mean pooled");
    }

    [SkippableFact]
    public void TinyModel_FullSequenceAndLayers_MatchUpstream()
    {
        var (host, store, wav) = Setup();
        using var _ = host;
        var seq = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model EnCodecMAE -Variant tiny-mel256 -ModelPath '{store}' -Pooling None").ThrowIfErrors().Single<AudioEmbedding>();
        Assert.Equal(712, seq.Sequence!.Length);
        Tolerance.AllClose(SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "features.npy").ToFloat32(), seq.Sequence.SelectMany(r => r).ToArray(), 1e-3, 1e-3, "features");

        var all = SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "features_all_layers.npy"); // (2, 712, 32)
        var layer0 = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model EnCodecMAE -Variant tiny-mel256 -ModelPath '{store}' -Layer 0 -Pooling None").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(all.ToFloat32().AsSpan(0, 712 * 32), layer0.Sequence!.SelectMany(r => r).ToArray(), 1e-3, 1e-3, "layer 0");

        var average = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model EnCodecMAE -Variant tiny-mel256 -ModelPath '{store}' -Layer average").ThrowIfErrors().Single<AudioEmbedding>();
        var values = all.ToFloat32();
        var expected = new float[32];
        for (int f = 0; f < 712; f++) for (int d = 0; d < 32; d++) expected[d] += (values[f * 32 + d] + values[(712 + f) * 32 + d]) / 2 / 712;
        Tolerance.AllClose(expected, average.Vector, 1e-4, 0, "average of layers, mean over frames");
    }

    [Fact]
    public void CatalogVariant_OfflineAndNotInTheHuggingFaceCache_SaysHowToInstall()
    {
        var dir = TestStore.TempDir("audio");
        var path = TestAudio.Tone(dir, "a.wav", 5, 24000);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -Model EnCodecMAE -ModelPath '{TestStore.TempDir("store")}'");
        var message = Assert.Single(r.Errors).Exception.Message;
        Assert.Contains("mel256-ec-base_st.pt of lpepino/encodecmae-v2 at revision main is not in the Hugging Face cache and downloads are off", message);
        Assert.Contains("Install-AudioEmbedModel -Model EnCodecMAE -Variant mel256-ec-base_st -SourcePath", message);
    }
}
