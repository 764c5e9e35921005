using AudioEmbed.Core.Checkpoints;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// The hyper-parameters of a MERT checkpoint (HF <c>config.json</c>, model_type "mert_model") and its
/// preprocessor (<c>preprocessor_config.json</c>, a Wav2Vec2FeatureExtractor). Only what the forward pass
/// in inference uses is kept; fields that would select code paths this converter does not implement
/// (CQT front end, deepnorm encoder, activations other than exact GELU) are rejected, naming the key.
/// <para>
/// Two encoder styles exist: <see cref="StableLayerNorm"/> false = post-LN HubertEncoder (MERT-v1-95M),
/// true = pre-LN HubertEncoderStableLayerNorm (MERT-v1-330M). <c>attention_relax</c> is read and kept for
/// the record only: neither encoder passes it to the attention, and a per-row shift would not change the
/// softmax anyway.
/// </para>
/// </summary>
internal sealed record MertConfig
{
    public const string ModelType = "mert_model";

    public required string ConfigPath { get; init; }
    public required int HiddenSize { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int IntermediateSize { get; init; }
    public required int[] ConvDim { get; init; }
    public required int[] ConvKernel { get; init; }
    public required int[] ConvStride { get; init; }
    public required bool ConvBias { get; init; }
    /// <summary>"group": GroupNorm (one group per channel) after the first conv only; "layer": LayerNorm after every conv.</summary>
    public required string FeatExtractNorm { get; init; }
    public required bool FeatProjLayerNorm { get; init; }
    public required int PosConvKernel { get; init; }
    public required int PosConvGroups { get; init; }
    public required float LayerNormEps { get; init; }
    public required bool StableLayerNorm { get; init; }
    public required double AttentionRelax { get; init; }
    /// <summary>Preprocessor: zero-mean unit-variance normalisation of each input (Wav2Vec2FeatureExtractor, eps 1e-7).</summary>
    public required bool DoNormalize { get; init; }
    public required int SampleRate { get; init; }

    public int HeadDim => HiddenSize / Heads;

    /// <summary>Samples the conv feature encoder needs for one output frame (400 for MERT: 10 + 3·5 + … ).</summary>
    public int ReceptiveField
    {
        get
        {
            long span = 1, jump = 1;
            for (int i = 0; i < ConvKernel.Length; i++)
            {
                span += (ConvKernel[i] - 1) * jump;
                jump *= ConvStride[i];
            }
            return (int)span;
        }
    }

    /// <summary>Product of the conv strides: input samples per output frame (320 for MERT, 75 frames/s at 24 kHz).</summary>
    public int HopSamples => ConvStride.Aggregate(1, (a, b) => a * b);

    /// <summary>Reads and validates both files; every problem is a <see cref="CheckpointException"/> naming the file and key.</summary>
    public static MertConfig Load(string configPath, string preprocessorPath)
    {
        var c = HfConfig.Load(configPath);
        var p = HfConfig.Load(preprocessorPath);

        string modelType = c.GetString("model_type");
        if (modelType != ModelType)
            throw new CheckpointException(configPath, $"model_type is '{modelType}', not '{ModelType}': this is not a MERT checkpoint", "model_type");
        if (c.GetBool("feature_extractor_cqt", false))
            throw new CheckpointException(configPath, "the CQT feature extractor is not supported (MERT-v1 checkpoints use the waveform conv encoder)", "feature_extractor_cqt");
        if (c.GetBool("deepnorm", false))
            throw new CheckpointException(configPath, "the deepnorm encoder is not supported (MERT-v1 checkpoints do not use it)", "deepnorm");
        RequireGelu(c, "hidden_act");
        RequireGelu(c, "feat_extract_activation");

        int hidden = Positive(c, "hidden_size");
        int heads = Positive(c, "num_attention_heads");
        if (hidden % heads != 0)
            throw new CheckpointException(configPath, $"hidden_size {hidden} is not a multiple of num_attention_heads {heads}", "num_attention_heads");
        int posGroups = Positive(c, "num_conv_pos_embedding_groups");
        if (hidden % posGroups != 0)
            throw new CheckpointException(configPath, $"hidden_size {hidden} is not a multiple of num_conv_pos_embedding_groups {posGroups}", "num_conv_pos_embedding_groups");

        int[] dims = c.GetIntArray("conv_dim"), kernels = c.GetIntArray("conv_kernel"), strides = c.GetIntArray("conv_stride");
        if (dims.Length == 0 || dims.Length != kernels.Length || dims.Length != strides.Length)
            throw new CheckpointException(configPath, $"conv_dim, conv_kernel and conv_stride must have the same non-zero length ({dims.Length}, {kernels.Length}, {strides.Length})", "conv_dim");
        if (dims.Concat(kernels).Concat(strides).Any(v => v <= 0))
            throw new CheckpointException(configPath, "conv_dim, conv_kernel and conv_stride must be positive", "conv_dim");
        if (c.Has("num_feat_extract_layers") && c.GetInt("num_feat_extract_layers") != dims.Length)
            throw new CheckpointException(configPath, $"num_feat_extract_layers {c.GetInt("num_feat_extract_layers")} differs from the {dims.Length} conv layers", "num_feat_extract_layers");

        string norm = c.GetString("feat_extract_norm");
        if (norm is not ("group" or "layer"))
            throw new CheckpointException(configPath, $"feat_extract_norm '{norm}' is neither 'group' nor 'layer'", "feat_extract_norm");

        int sampleRate = Positive(c, "sample_rate");
        int preprocessorRate = p.GetInt("sampling_rate");
        if (preprocessorRate != sampleRate)
            throw new CheckpointException(preprocessorPath, $"sampling_rate {preprocessorRate} differs from the model's sample_rate {sampleRate}", "sampling_rate");
        if (p.GetInt("feature_size", 1) != 1)
            throw new CheckpointException(preprocessorPath, "feature_size must be 1 (raw mono waveform)", "feature_size");

        return new MertConfig
        {
            ConfigPath = configPath,
            HiddenSize = hidden,
            Layers = Positive(c, "num_hidden_layers"),
            Heads = heads,
            IntermediateSize = Positive(c, "intermediate_size"),
            ConvDim = dims,
            ConvKernel = kernels,
            ConvStride = strides,
            ConvBias = c.GetBool("conv_bias"),
            FeatExtractNorm = norm,
            FeatProjLayerNorm = c.GetBool("feat_proj_layer_norm"),
            PosConvKernel = Positive(c, "num_conv_pos_embeddings"),
            PosConvGroups = posGroups,
            LayerNormEps = (float)c.GetDouble("layer_norm_eps"),
            StableLayerNorm = c.GetBool("do_stable_layer_norm"),
            AttentionRelax = c.GetDouble("attention_relax", -1.0),
            DoNormalize = p.GetBool("do_normalize"),
            SampleRate = sampleRate,
        };
    }

    private static int Positive(HfConfig c, string key)
    {
        int v = c.GetInt(key);
        return v > 0 ? v : throw new CheckpointException(c.FilePath, $"must be positive, found {v}", key);
    }

    private static void RequireGelu(HfConfig c, string key)
    {
        string act = c.GetString(key);
        if (act != "gelu")
            throw new CheckpointException(c.FilePath, $"activation '{act}' is not supported (MERT uses exact 'gelu')", key);
    }
}
