using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// EnCodecMAE (mel256) inference: mono → 24 kHz → 4 s chunks (a final chunk of ≤ 2048 samples is dropped) → normalised
/// Kaldi fbank per chunk (<see cref="EncodecMaeChunker"/>) → the encoder, full chunks a batch at a time → frames
/// concatenated. Layers: "last" (default), "0".."L-1" (x0 after that layer), "average", "all" (each frame's L layers
/// side by side, the last one being "last", so Dimension = L·D). Resampling: upstream's
/// <c>extract_features_from_file</c> calls <c>librosa.load(sr=WavEncoder.fs)</c>, and with the librosa it requires
/// (≥ 0.10.1) that is soxr "HQ" followed by fix_length to ceil(n·r): <see cref="ResamplerKind.SoxrHq"/>, within
/// 4e-7 of libsoxr's samples. 24 kHz input is passed through untouched.
/// </summary>
internal sealed class EncodecMaeExtractor : StreamingExtractor
{
    private const int BatchChunks = 4;
    private readonly EncodecMaeGinConfig _config;

    public EncodecMaeExtractor(InstalledModel model, ExecutionDevice device, int deviceId) : this(model.OnnxPath, device, deviceId) { }

    public EncodecMaeExtractor(string onnxPath, ExecutionDevice device, int deviceId) : this(SessionFactory.Get(onnxPath, device, deviceId), onnxPath) { }

    private EncodecMaeExtractor((Microsoft.ML.OnnxRuntime.InferenceSession Session, ExecutionDevice Device) session, string onnxPath)
        : base(session.Session, session.Device)
    {
        _config = EncodecMaeMetadata.Read(Session.ModelMetadata.CustomMetadataMap, onnxPath);
        Resampling = EncodecMaeFamily.Recipe(_config.SampleRate);
    }

    public override ResampleRecipe Resampling { get; }

    /// <summary>The numbered layers: x0 after each encoder layer; "last" may be a final normalisation after the last one.</summary>
    internal static NumberedLayers Numbered(EncodecMaeGinConfig config) =>
        new("EnCodecMAE", config.EncoderLayers, EncodecMaeGraph.LayerOutput,
            config.PostnormLastActivation ? EncodecMaeGraph.LastOutput : EncodecMaeGraph.LayerOutput(config.EncoderLayers - 1));

    protected override FilePlan Plan(string layer, EmbeddingRequest request)
    {
        var numbered = Numbered(_config);
        var reader = new LayerReader(LayerSelection.Parse(layer, numbered), numbered, _config.ModelDim);
        var chunker = new EncodecMaeChunker(_config.ChunkSamples, _config.FbankOptions);
        return new FilePlan(chunker, EncodecMaeGraph.InputName, BatchChunks, reader,
            $"the audio is too short: EnCodecMAE needs more than {EncodecMaeChunker.MinimumTailSamples} samples at {_config.SampleRate} Hz")
        { RowHopSamples = _ => chunker.FrameHop };
    }
}
