using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// MERT through the cmdlets with the tiny real-format checkpoints of ../shared/fixtures/mert, installed from their
/// folders (as downloaded from the hub) under custom names. Tolerance from the fixture README: 1e-4 abs.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class MertCmdletTests
{
    [SkippableTheory]
    [InlineData("tiny-95m-style", "MERT-v1-95M")]
    [InlineData("tiny-330m-style", "MERT-v1-330M")]
    public void TinyMert_FromAHubFolder_MatchesUpstream_AndExportsAllLayers(string style, string baseVariant)
    {
        var folder = SharedData.Require("fixtures", "mert", style);
        var wav = Path.Combine(folder, "input_1.wav");
        var store = TestStore.TempDir("store");
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel Mert -Variant {baseVariant} -Name {style} -SourcePath '{folder}' -ModelPath '{store}'").ThrowIfErrors();

        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model Mert -Variant {style} -ModelPath '{store}'").ThrowIfErrors().Single<AudioEmbedding>();
        Tolerance.AllClose(SharedData.Npy("fixtures", "mert", style, "mean_pooled_1.npy").ToFloat32(), e.Vector, 1e-4, 0, "mean pooled last hidden state");

        host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model Mert -Variant {style} -ModelPath '{store}' -Layer All | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var all = NpyReader.Read(Path.Combine(output, "mert", $"{style}.all.mean", "input_1.npy")); // a custom variant's configuration folder
        var hidden = SharedData.Npy("fixtures", "mert", style, "hidden_states_1.npy"); // (layers+1, frames, width)
        Assert.Equal(new[] { hidden.Shape[0], hidden.Shape[^1] }, all.Shape);
        int frames = hidden.Shape[^2], width = hidden.Shape[^1];
        var h = hidden.ToFloat32();
        var expected = new float[hidden.Shape[0] * width];
        for (int l = 0; l < hidden.Shape[0]; l++)
            Pooler.Mean(h.AsSpan(l * frames * width, frames * width), frames, width).CopyTo(expected, l * width);
        Tolerance.AllClose(expected, all.ToFloat32(), 1e-4, 0, "every hidden state, mean over frames");
    }

    [SkippableFact]
    public void CatalogMert_WithoutPinnedHash_SaysHowToInstall()
    {
        var path = TestAudio.Tone(TestStore.TempDir("audio"), "a.wav", 2, 24000);
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{path}' -Model Mert -ModelPath '{TestStore.TempDir("store")}'");
        var message = Assert.Single(r.Errors).Exception.Message;
        Assert.Contains("Install-AudioEmbedModel -Model Mert -Variant MERT-v1-95M -SourcePath", message);
        Assert.Contains("-AcceptLicense", message); // MERT is CC-BY-NC-4.0: the hint must include the acceptance
    }
}
