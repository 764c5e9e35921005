using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>MERT (m-a-p/MERT-v1-95M, MERT-v1-330M) from the HF config, preprocessor config and state dict.</summary>
internal sealed class MertFamily : IModelFamily
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
        CheckMatchesVariant(config, variant);
        var graph = MertGraph.Build(config, MertWeights.Open(checkpoint));
        graph.Metadata("audioembed.family", Name);
        graph.Metadata("audioembed.variant", variant.Name);
        graph.WriteTo(onnxOutput);
    }

    /// <summary>Reads and validates the config files, then builds the graph from the checkpoint (shape-checking every tensor).</summary>
    public static OnnxGraphBuilder BuildGraph(string configPath, string preprocessorPath, string checkpointPath)
    {
        var config = MertConfig.Load(configPath, preprocessorPath);
        return MertGraph.Build(config, MertWeights.Open(checkpointPath));
    }

    /// <summary>
    /// The manifest takes its layer list from the catalog variant, so a checkpoint of another size (a custom
    /// 330M-sized checkpoint installed on the 95M variant, say) would advertise wrong layers: refuse it.
    /// </summary>
    internal static void CheckMatchesVariant(MertConfig config, ModelVariantInfo variant)
    {
        if (variant.Layers.Count == 0) return;
        int deepest = variant.Layers.Keys.Select(k => int.TryParse(k, out int n) ? n : -1).Max();
        bool dimsMatch = variant.Layers.All(l => l.Value == (string.Equals(l.Key, MertLayer.Every, StringComparison.OrdinalIgnoreCase)
            ? (config.Layers + 1) * config.HiddenSize
            : config.HiddenSize));
        if (!dimsMatch || deepest != config.Layers)
            throw new ModelStoreException(
                $"The checkpoint ({config.Layers} layers of {config.HiddenSize}, per '{config.ConfigPath}') does not have the shape of MERT variant {variant.Name} " +
                $"({deepest} layers of {variant.Layers.GetValueOrDefault(MertLayer.Last)}). Install it on the variant of its size.");
    }

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new MertExtractor(model.OnnxPath, device, deviceId);
}
