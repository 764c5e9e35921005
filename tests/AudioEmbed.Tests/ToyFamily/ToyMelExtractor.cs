using System.Globalization;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Dsp;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.ToyFamily;

/// <summary>The toy's extractor: its recipe, its input stream, its numbered layers; the shared code does the rest.</summary>
internal sealed class ToyMelExtractor : StreamingExtractor
{
    public const string InputName = "fbank";
    public const string ScaleOption = "Scale";
    private readonly int _mels, _chunkSamples;

    public ToyMelExtractor(string onnxPath, ExecutionDevice device, int deviceId) : this(SessionFactory.Get(onnxPath, device, deviceId)) { }

    private ToyMelExtractor((Microsoft.ML.OnnxRuntime.InferenceSession Session, ExecutionDevice Device) session) : base(session.Session, session.Device)
    {
        var meta = Session.ModelMetadata.CustomMetadataMap;
        int Meta(string key) => int.Parse(meta[key], CultureInfo.InvariantCulture);
        _mels = Meta(ToyMelFamily.MelBinsKey);
        _chunkSamples = Meta(ToyMelFamily.ChunkSamplesKey);
        Resampling = new ResampleRecipe(Meta(ToyMelFamily.SampleRateKey)) { Kind = ResamplerKind.Resampy, Length = OutputLength.Natural };
    }

    public override ResampleRecipe Resampling { get; }

    public static string LayerOutput(int layer) => $"layer_{layer}";

    public KaldiFbankOptions Fbank => new() { SampleRate = Resampling.TargetRate, NumMelBins = _mels };

    protected override FilePlan Plan(string layer, EmbeddingRequest request)
    {
        var numbered = new NumberedLayers(ToyMelFamily.FamilyName, 2, LayerOutput, LayerOutput(1));
        var reader = new LayerReader(LayerSelection.Parse(layer, numbered), numbered, _mels);
        float scale = request.Options.TryGet(ScaleOption, out double s) ? (float)s : 1f;
        return new FilePlan(new ToyMelStream(_chunkSamples, Fbank, scale), InputName, 2, reader, "the file holds no full chunk of audio");
    }
}
