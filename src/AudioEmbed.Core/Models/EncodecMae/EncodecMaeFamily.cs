using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// EnCodecMAE (mel256 variants) from the upstream hub checkpoints: a torch.save dict holding 'config' (the composed
/// gin text), 'imports' and 'state_dict'. The gin config gives the front end and encoder shape; the state dict the
/// weights of the feature path.
/// </summary>
internal sealed class EncodecMaeFamily : IModelFamily
{
    public string Name => "EncodecMae";

    public void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput)
    {
        var graph = BuildGraph(sourceFiles.Values.Single());
        graph.Metadata("audioembed.family", Name);
        graph.Metadata("audioembed.variant", variant.Name);
        graph.WriteTo(onnxOutput);
    }

    /// <summary>Reads the checkpoint, parses its gin config, shape-checks the weights and builds the graph (with preprocessing metadata).</summary>
    public static OnnxGraphBuilder BuildGraph(string checkpointPath)
    {
        var checkpoint = TorchCheckpoint.Load(checkpointPath);
        var config = EncodecMaeGinConfig.Parse(ConfigText(checkpoint), checkpointPath);
        var graph = EncodecMaeGraph.Build(config, checkpoint.StateDict("state_dict"), checkpointPath);
        EncodecMaeMetadata.Write(graph, config);
        return graph;
    }

    public static string ConfigText(TorchCheckpoint checkpoint)
    {
        if (checkpoint.Root is not Dictionary<string, object?> root || !root.TryGetValue("config", out var config))
            throw new CheckpointException(checkpoint.FilePath, "the checkpoint has no 'config' entry (the gin text EnCodecMAE's hub saves)", "config");
        return config as string
            ?? throw new CheckpointException(checkpoint.FilePath, "the 'config' entry is not a string", "config");
    }

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new EncodecMaeExtractor(model, device, deviceId);
}
