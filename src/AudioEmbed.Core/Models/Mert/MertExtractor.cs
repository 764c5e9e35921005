using System.Globalization;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// MERT's preprocessing and inference, streamed: decode → mono → 24 kHz → chunks of <see cref="ChunkSeconds"/>
/// (see <see cref="MertChunker"/> for the last one), each zero-mean unit-variance normalised as the
/// Wav2Vec2FeatureExtractor does → the model, one or more equal-length chunks per run → the chosen hidden state's
/// frames (75 per second) of all chunks in order. Memory is bounded by one batch of chunks plus the rows, or only
/// their running mean or max when the caller wants the pooled embedding (<see cref="ExtractPooled"/>).
/// <para>
/// Resampling uses resampy kaiser_best (the shared resampler). Upstream's model card resamples with
/// torchaudio's Resample (Hann-windowed sinc); both are high-quality band-limited resamplers, so embeddings
/// of non-24 kHz audio differ only by the resamplers' small passband/transition differences.
/// </para>
/// </summary>
internal sealed class MertExtractor : IEmbeddingExtractor
{
    /// <summary>MERT-v1's pre-training context (model card: 5 s).</summary>
    public const double DefaultChunkSeconds = 5;
    /// <summary>
    /// Chunks per run on the CPU: measured on 2 cores with the 95M layout, 4 chunks per run were no faster than 1
    /// (the 5 s chunk's matrices already fill the cores) but raised the peak working set by about 1.1 GB.
    /// </summary>
    public const int DefaultBatchChunks = 1;
    private readonly InferenceSession _session;

    public MertExtractor(string onnxPath, ExecutionDevice device, int deviceId, double chunkSeconds = DefaultChunkSeconds, int batchChunks = DefaultBatchChunks)
    {
        if (batchChunks < 1) throw new ArgumentOutOfRangeException(nameof(batchChunks), "at least one chunk per run");
        (_session, Device) = SessionFactory.Get(onnxPath, device, deviceId);
        var meta = _session.ModelMetadata.CustomMetadataMap;
        int Meta(string key) => meta.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n
            : throw new InvalidOperationException($"'{onnxPath}' lacks the MERT metadata '{key}': reinstall the model with Install-AudioEmbedModel -Force.");
        SampleRate = Meta(MertMetadata.SampleRate);
        Layers = Meta(MertMetadata.Layers);
        HiddenSize = Meta(MertMetadata.HiddenSize);
        ReceptiveField = Meta(MertMetadata.ReceptiveField);
        Normalize = !meta.TryGetValue(MertMetadata.DoNormalize, out var dn) || dn == "true";
        if (!(chunkSeconds > 0) || chunkSeconds * SampleRate * batchChunks > int.MaxValue / 2)
            throw new ArgumentOutOfRangeException(nameof(chunkSeconds), $"{chunkSeconds} s is not a usable chunk length");
        ChunkSeconds = chunkSeconds;
        BatchChunks = batchChunks;
        ChunkSamples = Math.Max(ReceptiveField, (int)Math.Round(chunkSeconds * SampleRate));
    }

    public ExecutionDevice Device { get; }
    public int SampleRate { get; }
    public int Layers { get; }
    public int HiddenSize { get; }
    public int ReceptiveField { get; }
    public bool Normalize { get; }
    public double ChunkSeconds { get; }
    public int ChunkSamples { get; }
    public int BatchChunks { get; }

    public LayerRows Extract(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: false, ct);

    /// <summary>Pools chunk by chunk: memory stays flat however long the file (see <see cref="RowCollector"/>).</summary>
    public LayerRows ExtractPooled(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: true, ct);

    private LayerRows Run(IAudioSource audio, string layer, EmbeddingRequest request, bool pooled, CancellationToken ct)
    {
        var choice = MertLayer.Parse(layer, Layers);
        // -ChunkSeconds of the request wins over the extractor's default (the extractor is shared across requests).
        int chunkSamples = request.ChunkSeconds is double seconds && seconds > 0 && seconds * SampleRate < int.MaxValue / 4
            ? Math.Max(ReceptiveField, (int)Math.Round(seconds * SampleRate))
            : ChunkSamples;
        var chunker = new MertChunker(chunkSamples, ReceptiveField, Normalize);
        int width = choice.RowWidth(Layers, HiddenSize);
        var collector = pooled ? RowCollector.Pool(request.Pooling, width) : RowCollector.Keep(width);
        var run = new ChunkRunner(this, choice, chunkSamples, collector, ct);

        long nativeFrames = MonoResampledReader.Pump(audio, SampleRate, request.ResamplerVersion, librosaFixLength: false,
            block => chunker.Push(block, run.Add), ct, request.ExactResampling);
        chunker.Complete(run.Add);
        run.Flush();
        if (chunker.Chunks == 0) throw new InvalidDataException("the file holds no audio samples");

        var rows = collector.ToArray();
        return new LayerRows(rows, rows.Length / width, width, chunker.Chunks, null, nativeFrames, audio.SampleRate);
    }

    /// <summary>Gathers full chunks into batches (equal lengths need no padding or mask) and runs them; a short chunk runs alone.</summary>
    private sealed class ChunkRunner
    {
        private readonly MertExtractor _owner;
        private readonly string[] _outputs;
        private readonly MertLayerKind _kind;
        private readonly CancellationToken _ct;
        private readonly float[] _batch;
        private int _pending;

        private readonly int _chunkSamples;

        public ChunkRunner(MertExtractor owner, MertLayer layer, int chunkSamples, RowCollector rows, CancellationToken ct)
        {
            _owner = owner;
            _chunkSamples = chunkSamples;
            _outputs = layer.Outputs(owner.Layers);
            _kind = layer.Kind;
            _ct = ct;
            // Sized by this request's chunk length, which -ChunkSeconds may make longer than the extractor's default.
            _batch = new float[checked(owner.BatchChunks * chunkSamples)];
            Rows = rows;
        }

        public RowCollector Rows { get; }

        public void Add(float[] chunk)
        {
            if (chunk.Length != _chunkSamples)
            {
                Flush();
                Run(chunk, 1, chunk.Length);
                return;
            }
            chunk.CopyTo(_batch, _pending * _chunkSamples);
            if (++_pending == _owner.BatchChunks) Flush();
        }

        public void Flush()
        {
            if (_pending == 0) return;
            Run(_batch, _pending, _chunkSamples);
            _pending = 0;
        }

        private void Run(float[] samples, int count, int length)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, samples.AsMemory(0, count * length), new long[] { count, length });
            using (var results = _owner._session.RunExclusive(new[] { MertGraph.InputName }, new[] { input }, _outputs, _ct))
            {
                switch (_kind)
                {
                    case MertLayerKind.Single: Rows.Add(results[0].GetTensorDataAsSpan<float>()); break;
                    case MertLayerKind.Average: AddAverage(results); break;
                    case MertLayerKind.All: AddInterleaved(results); break;
                }
            }
        }

        /// <summary>The element-wise mean of all hidden states (summed in double).</summary>
        private void AddAverage(IReadOnlyList<OrtValue> results)
        {
            var sum = new double[results[0].GetTensorDataAsSpan<float>().Length];
            foreach (var r in results)
            {
                var values = r.GetTensorDataAsSpan<float>();
                for (int i = 0; i < sum.Length; i++) sum[i] += values[i];
            }
            var mean = new float[sum.Length];
            for (int i = 0; i < sum.Length; i++) mean[i] = (float)(sum[i] / results.Count);
            Rows.Add(mean);
        }

        /// <summary>Frame by frame (batch rows and frames in order), the D values of every hidden state in turn.</summary>
        private void AddInterleaved(IReadOnlyList<OrtValue> results)
        {
            int d = _owner.HiddenSize;
            int frames = results[0].GetTensorDataAsSpan<float>().Length / d;
            for (int t = 0; t < frames; t++)
                foreach (var r in results)
                    Rows.Add(r.GetTensorDataAsSpan<float>().Slice(t * d, d));
        }
    }
}
