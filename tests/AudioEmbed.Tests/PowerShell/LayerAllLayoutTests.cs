using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// -Layer All -Pooling None is exported as (layers, frames, hidden), as <c>torch.stack(outputs.hidden_states)</c> in
/// the MERT model card: every hidden state of both tiny MERT fixtures, through the cmdlets, equals the fixture's array
/// (tolerance from the fixture README: 1e-4 abs); EnCodecMAE's layers get the same first axis; and a file written
/// in the older (frames, layers, hidden) layout is reported Stale by Get-EmbeddingStatus.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class LayerAllLayoutTests
{
    [SkippableTheory]
    [InlineData("tiny-95m-style", "MERT-v1-95M", 1)]
    [InlineData("tiny-95m-style", "MERT-v1-95M", 2)]
    [InlineData("tiny-330m-style", "MERT-v1-330M", 1)]
    [InlineData("tiny-330m-style", "MERT-v1-330M", 2)]
    public void MertLayerAllSequence_IsEveryHiddenState(string style, string baseVariant, int input)
    {
        var folder = SharedData.Require("fixtures", "mert", style);
        var wav = Path.Combine(folder, $"input_{input}.wav");
        var store = TestStore.TempDir("store");
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel Mert -Variant {baseVariant} -Name {style} -SourcePath '{folder}' -ModelPath '{store}'").ThrowIfErrors();
        host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model Mert -Variant {style} -ModelPath '{store}' -Layer All -Pooling None | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();

        // -Layer All -Pooling None is not the default configuration: it has a folder of its own below mert/.
        var exported = NpyReader.Read(Directory.GetFiles(Path.Combine(output, "mert"), $"input_{input}.npy", SearchOption.AllDirectories).Single());
        var hidden = SharedData.Npy("fixtures", "mert", style, $"hidden_states_{input}.npy");
        int layers = hidden.Shape[0], frames = hidden.Shape[^2], width = hidden.Shape[^1];
        Assert.Equal(new[] { layers, frames, width }, exported.Shape);
        Tolerance.AllClose(hidden.ToFloat32(), exported.ToFloat32(), 1e-4, 0, $"{style} input {input}: every hidden state");

        // The pooled (layers, hidden) array is the sequence's mean over axis 1.
        var pooled = host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model Mert -Variant {style} -ModelPath '{store}' -Layer All").ThrowIfErrors().Single<AudioEmbedding>();
        var (values, shape) = pooled.ToArray();
        Assert.Equal(new[] { layers, width }, shape);
        var sequence = exported.ToFloat32();
        for (int l = 0; l < layers; l++)
            Tolerance.AllClose(Pooler.Mean(sequence.AsSpan(l * frames * width, frames * width), frames, width), values.AsSpan(l * width, width), 1e-5, 0, $"layer {l} pooled");
    }

    [SkippableFact]
    public void EncodecMaeLayerAllSequence_HasTheLayersFirst()
    {
        var checkpoint = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        var store = TestStore.TempDir("store");
        var audioDir = TestStore.TempDir("audio");
        var wav = Path.Combine(audioDir, "song.wav");
        TestAudio.WriteFloatWav(wav, SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "input.npy").ToFloat32(), 24000);
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny -SourcePath '{checkpoint}' -ModelPath '{store}'").ThrowIfErrors();
        AudioEmbedding Get(string layer) => host.Run($"Get-AudioEmbedding -LiteralPath '{wav}' -Model EnCodecMAE -Variant tiny -ModelPath '{store}' -Layer {layer} -Pooling None").ThrowIfErrors().Single<AudioEmbedding>();

        var (all, shape) = Get("All").ToArray();
        int layers = shape[0], frames = shape[1], width = shape[2];
        Assert.Equal(3, shape.Length);
        Assert.True(layers > 1, $"{layers} layers");
        for (int l = 0; l < layers; l++)
        {
            var (one, oneShape) = Get(l == layers - 1 ? "last" : l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(new[] { frames, width }, oneShape);
            Assert.True(one.AsSpan().SequenceEqual(all.AsSpan(l * frames * width, frames * width)), $"layer {l} is x[{l}]");
        }
    }

    [SkippableFact]
    public void OlderFramesFirstFiles_AreStale_NewOnesAreNot()
    {
        var audioDir = TestStore.TempDir("audio");
        var output = TestStore.TempDir("out");
        var modelDir = Path.Combine(output, "mert");
        using var host = new ModuleHost();
        const string status = "Get-EmbeddingStatus -AudioPath $a -OutputDirectory $o -Model Mert -Layer all -Pooling None";
        var vars = new Dictionary<string, object?> { ["a"] = audioDir, ["o"] = output };
        // The configuration's own folder (-Layer All -Pooling None is not the default configuration).
        var folder = host.Run(status, vars).ThrowIfErrors().Single<EmbeddingStatusReport>().EmbeddingDirectory;
        Directory.CreateDirectory(folder);
        foreach (var (song, layout) in new[] { ("old", (string?)null), ("new", AudioEmbedding.LayersFirstLayout) })
        {
            var audio = TestAudio.Tone(audioDir, song + ".wav", 1, 24000);
            var npy = Path.Combine(folder, song + ".npy");
            int[] shape = layout is null ? new[] { 75, 13, 768 } : new[] { 13, 75, 768 };
            using (var stream = File.Create(npy)) NpyWriter.Write(stream, new float[13 * 75 * 768], shape);
            var info = new FileInfo(audio);
            EmbeddingManifest.Append(modelDir, new EmbeddingRecord
            {
                Output = EmbeddingManifest.KeyFor(modelDir, npy), Source = audio, Size = info.Length, ModifiedUtc = info.LastWriteTimeUtc,
                Model = "MERT", Variant = "MERT-v1-95M", Layer = "all", Pooling = "None", Layout = layout,
            });
        }
        var report = host.Run(status, vars).ThrowIfErrors().Single<EmbeddingStatusReport>();
        Assert.Equal(2, report.Valid);
        Assert.Equal(Path.Combine(audioDir, "old.wav"), Assert.Single(report.StaleFiles));
    }
    [SkippableFact]
    public void SkipExisting_RecomputesAnOlderLayoutFile_AndSkipsANewOne()
    {
        var folder = SharedData.Require("fixtures", "mert", "tiny-95m-style");
        var store = TestStore.TempDir("store");
        var audioDir = TestStore.TempDir("audio");
        var output = TestStore.TempDir("out");
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel Mert -Variant MERT-v1-95M -Name tiny -SourcePath '{folder}' -ModelPath '{store}'").ThrowIfErrors();
        var get = $"-Model Mert -Variant tiny -ModelPath '{store}' -Layer All -Pooling None";
        var modelDir = Path.Combine(output, "mert");
        foreach (var song in new[] { "old", "new" }) TestAudio.Tone(audioDir, song + ".wav", 1, 24000);
        // Both songs exported as today, then "old" rewritten in the older (frames, layers, hidden) layout with a line
        // that names no layout, as files written before it was recorded.
        host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audioDir}')) {get} | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var oldNpy = Directory.GetFiles(modelDir, "old.npy", SearchOption.AllDirectories).Single();
        var current = NpyReader.Read(oldNpy);
        int layers = current.Shape[0], frames = current.Shape[1], width = current.Shape[2];
        var values = current.ToFloat32();
        var framesFirst = new float[values.Length];
        for (int k = 0; k < layers; k++)
            for (int r = 0; r < frames; r++)
                Array.Copy(values, (k * frames + r) * width, framesFirst, (r * layers + k) * width, width);
        using (var stream = File.Create(oldNpy)) NpyWriter.Write(stream, framesFirst, new[] { frames, layers, width });
        var line = EmbeddingManifest.Load(modelDir)[EmbeddingManifest.KeyFor(modelDir, oldNpy)];
        EmbeddingManifest.Append(modelDir, line with { Layout = null });

        var rerun = host.Run($"Get-AudioEmbedding -LiteralPath ([System.IO.Directory]::GetFiles('{audioDir}')) {get} -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.Equal("old", Assert.Single(rerun.Output).Properties["Name"].Value);
    }
}
