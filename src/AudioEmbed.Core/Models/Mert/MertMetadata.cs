namespace AudioEmbed.Core.Models.Mert;

/// <summary>Keys of the ONNX metadata the converter writes and the extractor reads back.</summary>
internal static class MertMetadata
{
    public const string SampleRate = "mert.sample_rate";
    public const string DoNormalize = "mert.do_normalize";
    public const string Layers = "mert.num_hidden_layers";
    public const string HiddenSize = "mert.hidden_size";
    public const string ReceptiveField = "mert.receptive_field";
    /// <summary>Samples per output frame (the conv strides' product); absent in models converted before it was written: 320.</summary>
    public const string HopSamples = "mert.hop_samples";
}
