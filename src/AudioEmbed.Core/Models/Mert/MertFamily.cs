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
        var graph = BuildGraph(Need(ConfigFile), Need(PreprocessorFile), checkpoint);
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

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new MertExtractor(model.OnnxPath, device, deviceId);
}
