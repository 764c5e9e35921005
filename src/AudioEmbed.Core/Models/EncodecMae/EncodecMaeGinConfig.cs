using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Dsp;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// What inference needs from the gin config stored in an EnCodecMAE checkpoint (mel256 front end only): the
/// fbank settings and normalisation of <c>MelspectrogramProcessor</c>, the chunk length of <c>ReadAudioProcessor</c>,
/// and the shape of the visible encoder (scope <c>encoder/</c>). Unknown bindings are ignored; a missing required
/// one is a <see cref="CheckpointException"/> naming the file and the binding.
/// </summary>
internal sealed record EncodecMaeGinConfig
{
    private const string EncoderScope = "encoder";

    /// <summary>Upstream <c>TransformerEncoder</c>'s default feed-forward width, used when the config does not bind <c>ff_dim</c>.</summary>
    public const int DefaultFeedForwardDim = 4096;

    public int ModelDim { get; init; }
    public int EncoderLayers { get; init; }
    public int EncoderHeads { get; init; }
    public int FeedForwardDim { get; init; }

    /// <summary>Per-head width ⌊D/H⌋; the q/k/v projections have H·⌊D/H⌋ channels, which can be fewer than D.</summary>
    public int HeadDim => ModelDim / EncoderHeads;
    public int AttentionWidth => HeadDim * EncoderHeads;

    public int MelBins { get; init; }
    public int SampleRate { get; init; }
    public double FrameLengthMs { get; init; }
    public double FrameShiftMs { get; init; }
    public double NormalizationMean { get; init; }
    public double NormalizationStd { get; init; }

    /// <summary>Samples per chunk: int(WavEncoder.fs · ReadAudioProcessor.max_length); chunks are processed independently.</summary>
    public int ChunkSamples { get; init; }

    /// <summary>Whether the last activation is x0 + final_norm(x1) (upstream default) or the plain last layer output.</summary>
    public bool PostnormLastActivation { get; init; } = true;

    /// <summary>The fbank front end these settings describe (the EnCodecMAE mel256 preset with the config's values).</summary>
    public KaldiFbankOptions FbankOptions => KaldiFbankOptions.EncodecMaeMel256 with
    {
        SampleRate = SampleRate,
        FrameLengthMs = FrameLengthMs,
        FrameShiftMs = FrameShiftMs,
        NumMelBins = MelBins,
        NormalizationMean = NormalizationMean,
        NormalizationStd = NormalizationStd,
    };

    /// <summary>Frames of one full chunk (snip_edges).</summary>
    public int FramesPerChunk => new KaldiFbank(FbankOptions).FrameCount(ChunkSamples);

    public static EncodecMaeGinConfig Parse(string ginText, string filePath)
    {
        var gin = GinBindings.Parse(ginText, filePath);

        var encoder = gin.FindText(null, "WavEncoder", "encoder");
        if (encoder is not null && encoder != "@torch.nn.Identity")
            throw new CheckpointException(filePath, $"the wav encoder is '{encoder}'; only the mel256 front end (torch.nn.Identity) is supported", "WavEncoder.encoder");

        var window = gin.FindText(null, "MelspectrogramProcessor", "window_type");
        if (window is not null && window != "hanning")
            throw gin.Bad(null, "MelspectrogramProcessor", "window_type", window, "'hanning'");
        if (gin.BoolOr(null, "MelspectrogramProcessor", "use_energy", false))
            throw gin.Bad(null, "MelspectrogramProcessor", "use_energy", "True", "False");

        var norm = gin.RequireNumbers(null, "MelspectrogramProcessor", "norm_stats");
        if (norm.Length != 2 || !(norm[1] > 0))
            throw gin.Bad(null, "MelspectrogramProcessor", "norm_stats", $"[{string.Join(", ", norm)}]", "[mean, std] with std > 0");

        int sampleRate = gin.RequireInt(null, "MelspectrogramProcessor", "sample_frequency");
        // Upstream resamples files to WavEncoder.fs and sizes chunks with it; the fbank assumes sample_frequency.
        int wavRate = gin.IntOr(null, "WavEncoder", "fs", sampleRate);
        if (wavRate != sampleRate)
            throw gin.Bad(null, "WavEncoder", "fs", wavRate.ToString(), $"the fbank's sample_frequency ({sampleRate})");
        double maxLength = gin.RequireDouble(null, "ReadAudioProcessor", "max_length");
        int model = gin.RequireInt(EncoderScope, "TransformerEncoder", "model_dim");
        int heads = gin.RequireInt(EncoderScope, "MultiHeadAttention", "num_heads");
        var config = new EncodecMaeGinConfig
        {
            ModelDim = model,
            EncoderLayers = gin.RequireInt(EncoderScope, "TransformerEncoder", "num_layers"),
            EncoderHeads = heads,
            FeedForwardDim = gin.IntOr(EncoderScope, "TransformerEncoder", "ff_dim", DefaultFeedForwardDim),
            MelBins = gin.RequireInt(null, "MelspectrogramProcessor", "num_mel_bins"),
            SampleRate = sampleRate,
            FrameLengthMs = gin.RequireDouble(null, "MelspectrogramProcessor", "frame_length"),
            FrameShiftMs = gin.RequireDouble(null, "MelspectrogramProcessor", "frame_shift"),
            NormalizationMean = norm[0],
            NormalizationStd = norm[1],
            ChunkSamples = (int)(sampleRate * maxLength),
            PostnormLastActivation = gin.BoolOr(null, "EncodecMAE", "postnorm_last_activation", true),
        };
        config.Validate(gin);
        return config;
    }

    private void Validate(GinBindings gin)
    {
        void Positive(int value, string? scope, string name, string param)
        {
            if (value <= 0) throw gin.Bad(scope, name, param, value.ToString(), "a positive integer");
        }
        Positive(ModelDim, EncoderScope, "TransformerEncoder", "model_dim");
        Positive(EncoderLayers, EncoderScope, "TransformerEncoder", "num_layers");
        Positive(FeedForwardDim, EncoderScope, "TransformerEncoder", "ff_dim");
        Positive(MelBins, null, "MelspectrogramProcessor", "num_mel_bins");
        Positive(SampleRate, null, "MelspectrogramProcessor", "sample_frequency");
        if (EncoderHeads <= 0 || EncoderHeads > ModelDim)
            throw gin.Bad(EncoderScope, "MultiHeadAttention", "num_heads", EncoderHeads.ToString(), $"between 1 and model_dim ({ModelDim})");
        if (ModelDim % 2 != 0) // the sinusoidal embedding interleaves sin/cos pairs
            throw gin.Bad(EncoderScope, "TransformerEncoder", "model_dim", ModelDim.ToString(), "an even number");
        try { FbankOptions.Validate(); }
        catch (ArgumentException ex) { throw new CheckpointException(gin.FilePath, "the fbank settings are unusable: " + ex.Message, "MelspectrogramProcessor"); }
        if (ChunkSamples < FbankOptions.WindowSize)
            throw gin.Bad(null, "ReadAudioProcessor", "max_length", ChunkSamples.ToString(), "a chunk of at least one fbank window");
    }
}
