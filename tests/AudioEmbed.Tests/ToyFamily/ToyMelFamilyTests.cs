using System.Text.Json;
using AudioEmbed.Core.Dsp;
using AudioEmbed.Core.Models;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.ToyFamily;

/// <summary>
/// The toy fourth family end to end through the store and the engine, with nothing outside this folder naming it:
/// it installs from its catalog entry, is found by reflection, and its embeddings equal the log-mel computed here
/// directly (the shared runner, layer selection and pooling are the ones the real families use).
/// </summary>
public sealed class ToyMelFamilyTests : IDisposable
{
    private const int Rate = 16000, Mels = 40;
    private readonly string _dir = Directory.CreateTempSubdirectory("audioembed-toymel-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>The family's one catalog entry (a test catalog; the real one is models/catalog.json).</summary>
    private (EmbeddingEngine Engine, InstalledModel Model) Install()
    {
        var config = Path.Combine(_dir, ToyMelFamily.ConfigFile);
        File.WriteAllText(config, $$"""{"mel_bins": {{Mels}}, "sample_rate": {{Rate}}, "chunk_seconds": 1.0}""");
        var catalog = Path.Combine(_dir, "catalog.json");
        File.WriteAllText(catalog, $$"""
            {"schema": 1, "families": [{
              "name": "ToyMel", "folder": "toymel", "available": true, "sampleRate": {{Rate}}, "defaultVariant": "toy-40",
              "variants": [{
                "name": "toy-40", "architecture": "toymel", "description": "mean of log-mel (a test family)", "license": "MIT",
                "defaultLayer": "last",
                "layers": {"last": {{Mels}}, "average": {{Mels}}, "0": {{Mels}}, "1": {{Mels}}, "all": {{2 * Mels}}},
                "files": [{"name": "toymel.json", "url": "https://example.invalid/toymel.json", "sha256": "{{AudioEmbed.Core.Store.FileHash.Sha256(config)}}", "size": {{new FileInfo(config).Length}}}]
              }]
            }]}
            """);
        var store = new ModelStore(Path.Combine(_dir, "home"), ModelCatalog.Load(catalog));
        var model = store.Install(new InstallRequest(ToyMelFamily.FamilyName) { SourcePath = config }, null, CancellationToken.None);
        return (new EmbeddingEngine(store), model);
    }

    private string Wav(double seconds)
    {
        var rng = new Random(7);
        var x = new float[(int)(seconds * Rate)];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(Math.Sin(i * 0.05) * 0.3 + (rng.NextDouble() - 0.5) * 0.2);
        var path = Path.Combine(_dir, "toy.wav");
        TestAudio.WriteFloatWav(path, x, Rate);
        return path;
    }

    /// <summary>The log-mel frames of every full one-second chunk, computed here without the pipeline.</summary>
    private static float[][] ExpectedFrames(string wav)
    {
        using var audio = AudioEmbed.Core.Audio.AudioFile.Open(wav, AudioEmbed.Core.Audio.DecoderOptions.Default, CancellationToken.None);
        var samples = AudioEmbed.Core.Audio.AudioSourceExtensions.ReadAll(audio);
        var fbank = new AudioEmbed.Core.Dsp.KaldiFbank(new KaldiFbankOptions { SampleRate = Rate, NumMelBins = Mels });
        var frames = new List<float[]>();
        for (int start = 0; start + Rate <= samples.Length; start += Rate)
        {
            var f = fbank.Compute(samples.AsSpan(start, Rate));
            for (int t = 0; t < f.Length / Mels; t++) frames.Add(f.AsSpan(t * Mels, Mels).ToArray());
        }
        return frames.ToArray();
    }

    private static float[] Mean(float[][] rows, float scale) =>
        Enumerable.Range(0, Mels).Select(d => (float)(rows.Sum(r => (double)r[d]) / rows.Length * scale)).ToArray();

    [Fact]
    public void IsFoundByReflection_WithoutAnyListNamingIt()
    {
        Assert.IsType<ToyMelFamily>(ModelFamilies.Get("toymel"));
        Assert.Contains(ModelFamilies.All, f => f is ToyMelFamily);
    }

    [Theory]
    [InlineData("0", 1f)]
    [InlineData("last", 2f)]
    [InlineData("average", 1.5f)]
    public void PooledEmbedding_IsTheMeanOfTheLogMel(string layer, float scale)
    {
        var (engine, model) = Install();
        var wav = Wav(3.5); // three full chunks; the half-second tail is dropped by the toy's rule
        var expected = ExpectedFrames(wav);
        var e = engine.Embed(wav, model, new EmbeddingRequest { Model = "ToyMel", Layer = layer }, CancellationToken.None);
        Assert.Equal("toymel", e.ModelFolder);
        Assert.Equal(3, e.Patches);
        Tolerance.AllClose(Mean(expected, scale), e.Vector, 1e-5, 1e-5, $"toy layer {layer}");
    }

    [Fact]
    public void LayerAllSequence_IsLayersFramesMel_AndItsOwnOptionIsItsOwn()
    {
        var (engine, model) = Install();
        var wav = Wav(2.2);
        var expected = ExpectedFrames(wav);
        var e = engine.Embed(wav, model, new EmbeddingRequest { Model = "ToyMel", Layer = "all", Pooling = Pooling.None }, CancellationToken.None);
        var (values, shape) = e.ToArray();
        Assert.Equal(new[] { 2, expected.Length, Mels }, shape);
        for (int t = 0; t < expected.Length; t++)
        {
            Tolerance.AllClose(expected[t], values.AsSpan(t * Mels, Mels).ToArray(), 1e-5, 1e-5, $"layer 0 frame {t}");
            Tolerance.AllClose(expected[t].Select(v => 2 * v).ToArray(), values.AsSpan((expected.Length + t) * Mels, Mels).ToArray(), 1e-5, 1e-5, $"layer 1 frame {t}");
        }

        var scaled = new EmbeddingRequest { Model = "ToyMel", Layer = "0", Options = FamilyOptions.Empty.With(ToyMelExtractor.ScaleOption, 2.0) };
        EmbeddingEngine.ValidateOptions("ToyMel", scaled.Options);
        Tolerance.AllClose(Mean(expected, 2f), engine.Embed(wav, model, scaled, CancellationToken.None).Vector, 1e-5, 1e-5, "Scale 2");

        var mertKnob = FamilyOptions.Empty.With("ChunkSeconds", 5.0);
        Assert.Contains("-Scale", Assert.Throws<ArgumentException>(() => EmbeddingEngine.ValidateOptions("ToyMel", mertKnob)).Message);
        Assert.Throws<ArgumentException>(() => EmbeddingEngine.ValidateOptions("ToyMel", FamilyOptions.Empty.With(ToyMelExtractor.ScaleOption, -1.0)));
    }
}
