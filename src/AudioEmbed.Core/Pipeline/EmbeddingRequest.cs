using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Pipeline;

/// <summary>What to compute for each file: model, variant, layer, pooling, device and extras.</summary>
public sealed record EmbeddingRequest
{
    public string Model { get; init; } = "MusiCNN";
    /// <summary>Null = the family's default variant.</summary>
    public string? Variant { get; init; }
    /// <summary>Null = the variant's default layer.</summary>
    public string? Layer { get; init; }
    public Pooling Pooling { get; init; } = Pooling.Mean;
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;
    public int DeviceId { get; init; }
    /// <summary>Compute tag likelihoods (models with a tagging head).</summary>
    public bool IncludeTags { get; init; }
    public int TopTags { get; init; } = 10;
    /// <summary>Managed decoders, ffmpeg, or each where it fits; and where ffmpeg is.</summary>
    public Audio.DecoderOptions Decoder { get; init; } = Audio.DecoderOptions.Default;

    /// <summary>
    /// The user's resampling choices (-ResampyVersion, -ExactResampling), applied to whichever family's recipe
    /// (<see cref="Audio.Resampling.ResampleRecipe"/>) they concern; null = every family's own recipe.
    /// </summary>
    public Audio.Resampling.ResamplerOverrides? Resampler { get; init; }

    /// <summary>Settings only one family has (MERT's ChunkSeconds): declared and checked by the family.</summary>
    public FamilyOptions Options { get; init; } = FamilyOptions.Empty;

    /// <summary>
    /// Int8 (EnCodecMAE, MERT-v1-330M): the transformer's Linear layers run as dynamic int8 on the CPU (an Int8 copy of
    /// the installed model, made on first use). MusiCNN and MERT-v1-95M are Float32 only (the default).
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32;
}
