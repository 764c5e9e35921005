using AudioEmbed.Core.Checkpoints;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// The state-dict tensors the feature path uses (wav_encoder.post_net, the positional scale, the visible encoder's
/// layers and final norm), looked up by their upstream keys and shape-checked against the gin config before any
/// value is read. The decoder, head and visible_encoder.post_net are training-only and ignored.
/// </summary>
internal sealed class EncodecMaeWeights
{
    public const string PostNetWeight = "wav_encoder.post_net.weight";
    public const string PostNetBias = "wav_encoder.post_net.bias";
    public const string PositionalScale = "masker.positional_encoder.scale";
    public const string FinalNormWeight = "visible_encoder.final_norm.weight";
    public const string FinalNormBias = "visible_encoder.final_norm.bias";

    private readonly IReadOnlyDictionary<string, TensorData> _stateDict;

    private EncodecMaeWeights(IReadOnlyDictionary<string, TensorData> stateDict, string filePath)
    {
        _stateDict = stateDict;
        FilePath = filePath;
    }

    public string FilePath { get; }

    public static string Layer(int layer, string rest) => $"visible_encoder.encoder_layers.{layer}.{rest}";

    /// <summary>Checks that every key the encoder needs exists with the shape the config implies (metadata only).</summary>
    public static EncodecMaeWeights Check(EncodecMaeGinConfig config, IReadOnlyDictionary<string, TensorData> stateDict, string filePath)
    {
        var w = new EncodecMaeWeights(stateDict, filePath);
        foreach (var (key, shape) in ExpectedShapes(config))
            w.Expect(key, shape);
        return w;
    }

    /// <summary>Every key the feature path reads, with its expected shape.</summary>
    public static IEnumerable<(string Key, long[] Shape)> ExpectedShapes(EncodecMaeGinConfig config)
    {
        long d = config.ModelDim, a = config.AttentionWidth, f = config.FeedForwardDim;
        yield return (PostNetWeight, new[] { d, config.MelBins });
        yield return (PostNetBias, new[] { d });
        yield return (PositionalScale, Array.Empty<long>());
        for (int l = 0; l < config.EncoderLayers; l++)
        {
            foreach (var p in new[] { "wq", "wk", "wv" }) yield return (Layer(l, $"att_layer.{p}.weight"), new[] { a, d });
            yield return (Layer(l, "att_layer.wo.weight"), new[] { d, a });
            yield return (Layer(l, "ff_layer.0.weight"), new[] { f, d });
            yield return (Layer(l, "ff_layer.0.bias"), new[] { f });
            yield return (Layer(l, "ff_layer.2.weight"), new[] { d, f });
            yield return (Layer(l, "ff_layer.2.bias"), new[] { d });
            foreach (var n in new[] { "norm1", "norm2" })
            {
                yield return (Layer(l, n + ".weight"), new[] { d });
                yield return (Layer(l, n + ".bias"), new[] { d });
            }
        }
        yield return (FinalNormWeight, new[] { d });
        yield return (FinalNormBias, new[] { d });
    }

    public TensorData this[string key] => _stateDict[key];

    /// <summary>The values of <paramref name="key"/> as float32, row-major.</summary>
    public float[] Read(string key)
    {
        try { return _stateDict[key].ToFloat32(); }
        catch (Exception ex) when (ex is not CheckpointException)
        {
            throw new CheckpointException(FilePath, "cannot read the tensor: " + ex.Message, key, ex);
        }
    }

    private void Expect(string key, long[] shape)
    {
        if (!_stateDict.TryGetValue(key, out var t))
            throw new CheckpointException(FilePath, $"the state dict lacks this tensor (expected shape [{string.Join(", ", shape)}])", key);
        if (!t.Shape.SequenceEqual(shape))
            throw new CheckpointException(FilePath,
                $"the tensor has shape [{string.Join(", ", t.Shape)}]; the gin config implies [{string.Join(", ", shape)}]", key);
        if (t.DType is not ("F32" or "F16" or "BF16" or "F64"))
            throw new CheckpointException(FilePath, $"the tensor has dtype {t.DType}; a floating-point tensor is needed", key);
    }
}
