using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>MERT (m-a-p/MERT-v1-95M, MERT-v1-330M) from the HF config, preprocessor config and state dict.</summary>
internal sealed class MertFamily : IModelFamily, IInt8Family
{
    public const string ConfigFile = "config.json";
    public const string PreprocessorFile = "preprocessor_config.json";
    public const string SafetensorsFile = "model.safetensors";
    public const string TorchFile = "pytorch_model.bin";

    public string Name => "MERT";

    public void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput)
    {
        string Need(string name) => sourceFiles.TryGetValue(name, out var path) ? path
            : throw new ModelStoreException($"MERT variant {variant.Name}: the catalog lists no '{name}' among its files.");
        string checkpoint = sourceFiles.TryGetValue(SafetensorsFile, out var st) ? st : Need(TorchFile);
        var config = MertConfig.Load(Need(ConfigFile), Need(PreprocessorFile));
        var graph = MertGraph.Build(config, MertWeights.Open(checkpoint));
        graph.Metadata("audioembed.family", Name);
        graph.Metadata("audioembed.variant", variant.Name);
        graph.WriteTo(onnxOutput);
    }

    /// <summary>Reads and validates the config files, then builds the graph from the checkpoint (shape-checking every tensor).</summary>
    public static OnnxGraphBuilder BuildGraph(string configPath, string preprocessorPath, string checkpointPath, Precision precision = Precision.Float32)
    {
        var config = MertConfig.Load(configPath, preprocessorPath);
        return MertGraph.Build(config, MertWeights.Open(checkpointPath), precision);
    }

    /// <summary>
    /// The layers of the converted model, from its metadata: a custom checkpoint (-Name) may be another size than
    /// the variant it was installed on (e.g. a distilled model), and the manifest must tell its true size.
    /// </summary>
    public IReadOnlyDictionary<string, int> Layers(ModelVariantInfo variant, string onnxPath)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnxPath);
        var meta = session.ModelMetadata.CustomMetadataMap;
        int layers = int.Parse(meta[MertMetadata.Layers], System.Globalization.CultureInfo.InvariantCulture);
        int hidden = int.Parse(meta[MertMetadata.HiddenSize], System.Globalization.CultureInfo.InvariantCulture);
        var result = MertLayer.Names(layers).ToDictionary(n => n, _ => hidden);
        result[LayerNames.All] = (layers + 1) * hidden;
        return result;
    }

    public bool IsInt8Weight(string initializer) => MertGraph.IsInt8Weight(initializer);

    /// <summary>
    /// Int8 is offered for the 330M architecture only (bench int8-330m: ≈2.1× at pooled cosine 0.9996). On 95M the
    /// float32 conv feature encoder, a third of the work, caps the measured speed-up at ≈1.45×, under the 1.5× bar.
    /// </summary>
    public bool OffersInt8(string architectureVariant) => architectureVariant == "MERT-v1-330M";

    public IReadOnlyList<FamilyOption> Options => MertOptions.All;

    /// <summary>soxr HQ (librosa ≥ 0.10's <c>librosa.load(sr=24000)</c>, the Python pipeline we replace).</summary>
    public Audio.Resampling.ResampleRecipe Resampling(int targetRate) => Recipe(targetRate);

    /// <summary>The length rule applies only if a user picks resampy: its natural length, the chunker decides the end.</summary>
    internal static Audio.Resampling.ResampleRecipe Recipe(int targetRate) =>
        new(targetRate) { Kind = Audio.Resampling.ResamplerKind.SoxrHq, Length = Audio.Resampling.OutputLength.Natural };

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new MertExtractor(model.OnnxPath, device, deviceId);
}
