using System.Globalization;
using System.Text.Json;
using AudioEmbed.Core.Models;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.ToyFamily;

/// <summary>
/// A fourth model family that lives only in the test project, to prove that a family is its folder plus a catalog
/// entry: a "model" whose layer 0 is the log-mel (Kaldi fbank) frame itself and whose layer 1 ("last") is twice it,
/// so its mean-pooled embedding is the mean of the log-mel frames. Found by <see cref="ModelFamilies"/> by
/// reflection; nothing in src/ names it.
/// </summary>
internal sealed class ToyMelFamily : IModelFamily
{
    public const string FamilyName = "ToyMel";
    public const string ConfigFile = "toymel.json";
    public const string MelBinsKey = "toymel.mel_bins";
    public const string SampleRateKey = "toymel.sample_rate";
    public const string ChunkSamplesKey = "toymel.chunk_samples";

    public string Name => FamilyName;

    /// <summary>The "checkpoint" is a JSON config: {"mel_bins": n, "sample_rate": hz, "chunk_seconds": s}.</summary>
    public void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(sourceFiles[ConfigFile]));
        int mels = config.RootElement.GetProperty("mel_bins").GetInt32();
        int rate = config.RootElement.GetProperty("sample_rate").GetInt32();
        int chunk = (int)Math.Round(config.RootElement.GetProperty("chunk_seconds").GetDouble() * rate);
        var g = new OnnxGraphBuilder("toymel");
        string x = g.Input(ToyMelExtractor.InputName, new long?[] { null, null, mels }, new[] { "batch", "frames", "mel" });
        g.Output(g.Mul(x, g.Initializer("one", new[] { 1f })), ToyMelExtractor.LayerOutput(0), new long?[] { null, null, mels });
        g.Output(g.Mul(x, g.Initializer("two", new[] { 2f })), ToyMelExtractor.LayerOutput(1), new long?[] { null, null, mels });
        g.Metadata(MelBinsKey, mels.ToString(CultureInfo.InvariantCulture));
        g.Metadata(SampleRateKey, rate.ToString(CultureInfo.InvariantCulture));
        g.Metadata(ChunkSamplesKey, chunk.ToString(CultureInfo.InvariantCulture));
        g.Metadata("audioembed.family", Name);
        g.Metadata("audioembed.variant", variant.Name);
        g.WriteTo(onnxOutput);
    }

    /// <summary>One fixed size: the catalog's layers hold.</summary>
    public IReadOnlyDictionary<string, int> Layers(ModelVariantInfo variant, string onnxPath) => variant.Layers;

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new ToyMelExtractor(model.OnnxPath, device, deviceId);

    /// <summary>A knob of its own, declared here and not in the shared request.</summary>
    public IReadOnlyList<FamilyOption> Options { get; } = new[]
    {
        new FamilyOption(ToyMelExtractor.ScaleOption, typeof(double), "a factor applied to the log-mel before the model",
            v => v is double d && d > 0 ? null : "Scale must be positive"),
    };
}
