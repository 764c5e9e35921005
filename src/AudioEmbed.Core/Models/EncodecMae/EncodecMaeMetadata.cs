using System.Globalization;
using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// The preprocessing facts of a converted model (fbank settings, normalisation, chunk length, layer count), stored as
/// ONNX metadata at conversion so the extractor needs nothing but the .onnx file.
/// </summary>
internal static class EncodecMaeMetadata
{
    private const string Prefix = "encodecmae.";

    public static void Write(OnnxGraphBuilder graph, EncodecMaeGinConfig c)
    {
        void Put(string key, IFormattable value) => graph.Metadata(Prefix + key, value.ToString(null, CultureInfo.InvariantCulture));
        Put("model_dim", c.ModelDim);
        Put("encoder_layers", c.EncoderLayers);
        Put("encoder_heads", c.EncoderHeads);
        Put("ff_dim", c.FeedForwardDim);
        Put("mel_bins", c.MelBins);
        Put("sample_rate", c.SampleRate);
        Put("frame_length_ms", c.FrameLengthMs);
        Put("frame_shift_ms", c.FrameShiftMs);
        Put("norm_mean", c.NormalizationMean);
        Put("norm_std", c.NormalizationStd);
        Put("chunk_samples", c.ChunkSamples);
        graph.Metadata(Prefix + "postnorm_last_activation", c.PostnormLastActivation ? "true" : "false");
    }

    public static EncodecMaeGinConfig Read(IReadOnlyDictionary<string, string> map, string onnxPath)
    {
        string Get(string key) => map.TryGetValue(Prefix + key, out var v) ? v
            : throw new InvalidDataException($"{onnxPath} lacks the metadata '{Prefix + key}'; reinstall the model (Install-AudioEmbeddingModel -Force).");
        int Int(string key) => int.Parse(Get(key), CultureInfo.InvariantCulture);
        double Real(string key) => double.Parse(Get(key), CultureInfo.InvariantCulture);
        return new EncodecMaeGinConfig
        {
            ModelDim = Int("model_dim"),
            EncoderLayers = Int("encoder_layers"),
            EncoderHeads = Int("encoder_heads"),
            FeedForwardDim = Int("ff_dim"),
            MelBins = Int("mel_bins"),
            SampleRate = Int("sample_rate"),
            FrameLengthMs = Real("frame_length_ms"),
            FrameShiftMs = Real("frame_shift_ms"),
            NormalizationMean = Real("norm_mean"),
            NormalizationStd = Real("norm_std"),
            ChunkSamples = Int("chunk_samples"),
            PostnormLastActivation = Get("postnorm_last_activation") == "true",
        };
    }
}
