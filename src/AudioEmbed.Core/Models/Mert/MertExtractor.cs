using System.Globalization;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// MERT's preprocessing and inference: mono → 24 kHz → chunks of <see cref="ChunkSeconds"/> (see
/// <see cref="MertChunker"/> for the last one), each zero-mean unit-variance normalised as the
/// Wav2Vec2FeatureExtractor does → the model, one or more equal-length chunks per run → the chosen hidden state's
/// frames (75 per second) of all chunks in order. The loop, batching and pooling are the shared
/// <see cref="StreamingExtractor"/>'s.
/// <para>
/// Resampling: soxr HQ with librosa's fix_length, as the Python pipeline we replace loads audio (current librosa,
/// the environment it shares with EnCodecMAE). Users who followed the model card's
/// <c>torchaudio.transforms.Resample</c> choose <see cref="ResamplerKind.Torchaudio"/> (-Resampler Torchaudio).
/// </para>
/// </summary>
internal sealed class MertExtractor : StreamingExtractor
{
    /// <summary>MERT-v1's pre-training context (model card: 5 s).</summary>
    public const double DefaultChunkSeconds = 5;
    /// <summary>
    /// Chunks per run on the CPU: measured on 2 cores with the 95M layout, 4 chunks per run were no faster than 1
    /// (the 5 s chunk's matrices already fill the cores) but raised the peak working set by about 1.1 GB.
    /// </summary>
    public const int DefaultBatchChunks = 1;

    public MertExtractor(string onnxPath, ExecutionDevice device, int deviceId, double chunkSeconds = DefaultChunkSeconds, int batchChunks = DefaultBatchChunks)
        : this(SessionFactory.Get(onnxPath, device, deviceId), onnxPath, chunkSeconds, batchChunks) { }

    private MertExtractor((Microsoft.ML.OnnxRuntime.InferenceSession Session, ExecutionDevice Device) session, string onnxPath, double chunkSeconds, int batchChunks)
        : base(session.Session, session.Device)
    {
        if (batchChunks < 1) throw new ArgumentOutOfRangeException(nameof(batchChunks), "at least one chunk per run");
        var meta = Session.ModelMetadata.CustomMetadataMap;
        int Meta(string key) => meta.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
            : throw new InvalidOperationException($"'{onnxPath}' lacks the MERT metadata '{key}': reinstall the model with Install-AudioEmbedModel -Force.");
        SampleRate = Meta(MertMetadata.SampleRate);
        Layers = Meta(MertMetadata.Layers);
        HiddenSize = Meta(MertMetadata.HiddenSize);
        ReceptiveField = Meta(MertMetadata.ReceptiveField);
        Normalize = !meta.TryGetValue(MertMetadata.DoNormalize, out var dn) || dn == "true";
        HopSamples = meta.ContainsKey(MertMetadata.HopSamples) ? Meta(MertMetadata.HopSamples) : 320; // MERT-v1's conv strides
        if (!(chunkSeconds > 0) || chunkSeconds * SampleRate * batchChunks > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(chunkSeconds), $"{chunkSeconds} s is not a usable chunk length");
        ChunkSeconds = chunkSeconds;
        BatchChunks = batchChunks;
        ChunkSamples = Math.Max(ReceptiveField, (int)Math.Round(chunkSeconds * SampleRate));
        Resampling = MertFamily.Recipe(SampleRate);
    }

    public int SampleRate { get; }
    public int Layers { get; }
    public int HiddenSize { get; }
    public int ReceptiveField { get; }
    public bool Normalize { get; }
    /// <summary>Samples per frame: frame t of a chunk starts t · HopSamples after the chunk.</summary>
    public int HopSamples { get; }
    public double ChunkSeconds { get; }
    public int ChunkSamples { get; }
    public int BatchChunks { get; }

    /// <summary>soxr HQ to the model's rate (librosa ≥ 0.10's <c>librosa.load(sr=24000)</c>).</summary>
    public override ResampleRecipe Resampling { get; }

    protected override FilePlan Plan(string layer, EmbeddingRequest request)
    {
        var numbered = MertLayer.Numbered(Layers);
        var reader = new LayerReader(LayerSelection.Parse(layer, numbered), numbered, HiddenSize);
        // -ChunkSeconds of the request wins over the extractor's default (the extractor is shared across requests).
        int chunkSamples = request.Options.TryGet(MertOptions.ChunkSeconds, out double seconds) && seconds > 0 && seconds * SampleRate < int.MaxValue / 4
            ? Math.Max(ReceptiveField, (int)Math.Round(seconds * SampleRate))
            : ChunkSamples;
        return new FilePlan(new MertChunker(chunkSamples, ReceptiveField, Normalize), MertGraph.InputName, BatchChunks, reader,
            "the file holds no audio samples") { RowHopSamples = _ => HopSamples };
    }
}
