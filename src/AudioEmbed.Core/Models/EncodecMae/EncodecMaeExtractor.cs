using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Dsp;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Models.EncodecMae;

/// <summary>
/// EnCodecMAE (mel256) inference, streamed: decode → mono → 24 kHz → 4 s chunks (a final chunk of ≤ 2048 samples is
/// dropped) → normalised Kaldi fbank per chunk → the encoder, full chunks a batch at a time → frames concatenated.
/// Layers: "last" (default), "0".."L-1" (x0 after that layer), "all" (each frame's L layers concatenated, the last one
/// being "last", so Dimension = L·D). Resampling: upstream's <c>extract_features_from_file</c> calls
/// <c>librosa.load(sr=WavEncoder.fs)</c>, and with the librosa it requires (≥ 0.10.1) that is soxr "HQ". No soxr
/// port exists here, so files not already at 24 kHz go through resampy kaiser_best (0.4.x tables, librosa's
/// fix_length to ceil(n·r)): another high-quality band-limited resampler, so features of 44.1/48 kHz files are close
/// to, not bit-equal with, upstream's. 24 kHz input is passed through untouched and matches upstream exactly.
/// </summary>
internal sealed class EncodecMaeExtractor : IEmbeddingExtractor
{
    private const int BatchChunks = 4;
    private readonly InferenceSession _session;
    private readonly EncodecMaeGinConfig _config;
    private readonly string _onnxPath;

    public EncodecMaeExtractor(InstalledModel model, ExecutionDevice device, int deviceId) : this(model.OnnxPath, device, deviceId) { }

    public EncodecMaeExtractor(string onnxPath, ExecutionDevice device, int deviceId)
    {
        _onnxPath = onnxPath;
        (_session, Device) = SessionFactory.Get(onnxPath, device, deviceId);
        _config = EncodecMaeMetadata.Read(_session.ModelMetadata.CustomMetadataMap, onnxPath);
    }

    public ExecutionDevice Device { get; }

    public LayerRows Extract(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: false, ct);

    /// <summary>Pools chunk by chunk: memory stays flat however long the file (see <see cref="RowCollector"/>).</summary>
    public LayerRows ExtractPooled(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: true, ct);

    private LayerRows Run(IAudioSource audio, string layer, EmbeddingRequest request, bool pooled, CancellationToken ct)
    {
        var outputs = OutputsFor(layer);
        bool average = string.Equals(layer, "average", StringComparison.OrdinalIgnoreCase);
        int width = average ? _config.ModelDim : _config.ModelDim * outputs.Length;
        var rows = pooled ? RowCollector.Pool(request.Pooling, width) : RowCollector.Keep(width);
        var runner = new ChunkRunner(_session, _config, outputs, rows, average);
        var chunker = new EncodecMaeChunker(_config.ChunkSamples);
        long nativeFrames = MonoResampledReader.Pump(audio, _config.SampleRate, ResampyVersion.V0_4_2, librosaFixLength: true,
            block => chunker.Push(block, chunk => runner.AddFullChunk(chunk.Span, ct)), ct, request.ExactResampling);
        runner.Flush(ct);
        var tail = chunker.Tail();
        if (!tail.IsEmpty) runner.RunSingle(tail.Span, ct);
        if (runner.Chunks == 0)
            throw new InvalidDataException($"the audio is too short: EnCodecMAE needs more than {EncodecMaeChunker.MinimumTailSamples} samples at {_config.SampleRate} Hz");

        return new LayerRows(rows.ToArray(), pooled ? 1 : runner.Frames, width, runner.Chunks, null, nativeFrames, audio.SampleRate);
    }

    /// <summary>The graph outputs a layer name reads, in the order their rows are concatenated.</summary>
    private string[] OutputsFor(string layer)
    {
        int layers = _config.EncoderLayers;
        string last = _config.PostnormLastActivation ? EncodecMaeGraph.LastOutput : EncodecMaeGraph.LayerOutput(layers - 1);
        if (string.Equals(layer, "last", StringComparison.OrdinalIgnoreCase)) return new[] { last };
        if (string.Equals(layer, "all", StringComparison.OrdinalIgnoreCase) || string.Equals(layer, "average", StringComparison.OrdinalIgnoreCase))
            return Enumerable.Range(0, layers - 1).Select(EncodecMaeGraph.LayerOutput).Append(last).ToArray();
        if (int.TryParse(layer, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int k) && k < layers)
            return new[] { EncodecMaeGraph.LayerOutput(k) };
        throw new ArgumentException($"EnCodecMAE ({_onnxPath}) has no layer '{layer}': use last, all, average, or 0..{layers - 1}.", nameof(layer));
    }

    /// <summary>Computes each chunk's fbank, runs batches through the session and collects the frame rows (or pools them).</summary>
    private sealed class ChunkRunner
    {
        private readonly InferenceSession _session;
        private readonly string[] _outputs;
        private readonly KaldiFbank _fbank;
        private readonly int _framesPerChunk;
        private readonly int _chunkValues;
        private readonly int _dim;
        private readonly float[] _batch;
        private int _pending;
        private readonly RowCollector _rows;
        private readonly bool _average;

        /// <param name="rows">Where the frame rows go as they come: kept, or pooled without keeping them.</param>
        /// <param name="average">Each frame's layers are averaged into one row (the "average" layer).</param>
        public ChunkRunner(InferenceSession session, EncodecMaeGinConfig config, string[] outputs, RowCollector rows, bool average)
        {
            _session = session;
            _outputs = outputs;
            _rows = rows;
            _average = average;
            _fbank = new KaldiFbank(config.FbankOptions);
            _framesPerChunk = _fbank.FrameCount(config.ChunkSamples);
            _chunkValues = _framesPerChunk * config.MelBins;
            _dim = config.ModelDim;
            _batch = new float[BatchChunks * _chunkValues];
        }

        public int Chunks { get; private set; }
        public int Frames { get; private set; }

        public void AddFullChunk(ReadOnlySpan<float> chunk, CancellationToken ct)
        {
            _fbank.Compute(chunk, _batch.AsSpan(_pending * _chunkValues, _chunkValues));
            if (++_pending == BatchChunks) Flush(ct);
        }

        public void Flush(CancellationToken ct)
        {
            if (_pending == 0) return;
            Run(_batch.AsMemory(0, _pending * _chunkValues), _pending, _framesPerChunk, ct);
            _pending = 0;
        }

        /// <summary>The short final chunk: its own run, since it has fewer frames (no padding, as upstream).</summary>
        public void RunSingle(ReadOnlySpan<float> chunk, CancellationToken ct)
        {
            int frames = _fbank.FrameCount(chunk.Length);
            var features = new float[frames * _fbank.MelCount];
            _fbank.Compute(chunk, features);
            Run(features, 1, frames, ct);
        }

        private void Run(Memory<float> features, int chunks, int frames, CancellationToken ct)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, features,
                new long[] { chunks, frames, _fbank.MelCount });
            using (var results = _session.RunExclusive(new[] { EncodecMaeGraph.InputName }, new[] { input }, _outputs, ct))
            {
                AddRows(results, chunks * frames);
            }
            Chunks += chunks;
            Frames += chunks * frames;
        }

        /// <summary>
        /// Row (chunk c, frame t) = the outputs' [c, t, :] one after another; for "average", their mean per value
        /// (a double sum over the layers in order, divided by the layer count).
        /// </summary>
        private void AddRows(IReadOnlyList<OrtValue> results, int rows)
        {
            var sums = _average ? new double[_dim] : null;
            var mean = _average ? new float[_dim] : null;
            for (int r = 0; r < rows; r++)
            {
                if (sums is null)
                {
                    foreach (var output in results) _rows.Add(output.GetTensorDataAsSpan<float>().Slice(r * _dim, _dim));
                    continue;
                }
                Array.Clear(sums);
                foreach (var output in results)
                {
                    var row = output.GetTensorDataAsSpan<float>().Slice(r * _dim, _dim);
                    for (int d = 0; d < _dim; d++) sums[d] += row[d];
                }
                for (int d = 0; d < _dim; d++) mean![d] = (float)(sums[d] / results.Count);
                _rows.Add(mean);
            }
        }
    }
}
