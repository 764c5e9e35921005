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
internal sealed class EncodecMaeFamily : IModelFamily, IInt8Family
{
    public string Name => "EnCodecMAE"; // the catalog's family name

    /// <summary>
    /// Source files: the .pt checkpoint, and optionally a separate .gin config (older hub repositories ship
    /// model.pt + config.gin); without one, the checkpoint's own 'config' entry is used.
    /// </summary>
    public void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput)
    {
        var gin = sourceFiles.Where(f => f.Key.EndsWith(".gin", StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).SingleOrDefault();
        var checkpoints = sourceFiles.Where(f => !f.Key.EndsWith(".gin", StringComparison.OrdinalIgnoreCase) && f.Key != "imports").Select(f => f.Value).ToList();
        if (checkpoints.Count != 1)
            throw new ModelStoreException($"EnCodecMAE variant {variant.Name} needs exactly one checkpoint file in the catalog; it lists {checkpoints.Count}.");
        var graph = BuildGraph(checkpoints[0], gin is null ? null : File.ReadAllText(gin));
        graph.Metadata("audioembed.family", Name);
        graph.Metadata("audioembed.variant", variant.Name);
        graph.WriteTo(onnxOutput);
    }

    /// <summary>Reads the checkpoint, parses its gin config, shape-checks the weights and builds the graph (with preprocessing metadata).</summary>
    public static OnnxGraphBuilder BuildGraph(string checkpointPath, string? ginText = null, Precision precision = Precision.Float32)
    {
        var checkpoint = TorchCheckpoint.Load(checkpointPath);
        var config = EncodecMaeGinConfig.Parse(ginText ?? ConfigText(checkpoint), checkpointPath);
        var graph = EncodecMaeGraph.Build(config, checkpoint.StateDict("state_dict"), checkpointPath, precision);
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

    /// <summary>From the configuration stored in the converted model: last, 0..L-1 (width D) and all (L·D).</summary>
    public IReadOnlyDictionary<string, int> Layers(ModelVariantInfo variant, string onnxPath)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnxPath);
        var config = EncodecMaeMetadata.Read(session.ModelMetadata.CustomMetadataMap, onnxPath);
        var layers = new Dictionary<string, int> { [LayerNames.Last] = config.ModelDim };
        for (int i = 0; i < config.EncoderLayers; i++) layers[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = config.ModelDim;
        layers[LayerNames.All] = config.EncoderLayers * config.ModelDim;
        layers[LayerNames.Average] = config.ModelDim;
        return layers;
    }

    public bool IsInt8Weight(string initializer) => EncodecMaeGraph.IsInt8Weight(initializer);

    /// <summary>Every EnCodecMAE: the encoder is nearly all of the work (bench int8: ≈2.5× on base).</summary>
    public bool OffersInt8(string architectureVariant) => true;

    /// <summary>Upstream's <c>librosa.load(sr=24000)</c> (librosa ≥ 0.10.1): soxr HQ.</summary>
    public Audio.Resampling.ResampleRecipe Resampling(int targetRate) => Recipe(targetRate);

    /// <summary>The length rule applies only if a user picks resampy (-Resampler Resampy): librosa's fix_length, as librosa.load does.</summary>
    internal static Audio.Resampling.ResampleRecipe Recipe(int targetRate) => new(targetRate)
    {
        Kind = Audio.Resampling.ResamplerKind.SoxrHq,
        ResampyVersion = Audio.Resampling.ResampyVersion.V0_4_2,
        Length = Audio.Resampling.OutputLength.LibrosaFixLength,
    };

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new EncodecMaeExtractor(model, device, deviceId);
}
