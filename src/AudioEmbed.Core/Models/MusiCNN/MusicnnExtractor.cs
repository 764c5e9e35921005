using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// musicnn's preprocessing and inference, streamed: decode → mono → 16 kHz (resampy kaiser_best + librosa's
/// fix_length) → log-mel patches of 187 × 96 as they complete → the model, a batch of patches at a time.
/// Memory is bounded by one batch of patches plus the layer rows, whatever the file length. Returns one
/// row per patch for the chosen layer (two per patch for vgg's pool5, which keeps two time steps).
/// </summary>
internal sealed class MusicnnExtractor : IEmbeddingExtractor
{
    private const int BatchPatches = 8;
    private const int TagCount = 50;
    private readonly InferenceSession _session;

    public MusicnnExtractor(InstalledModel model, ExecutionDevice device, int deviceId)
    {
        (_session, Device) = SessionFactory.Get(model.OnnxPath, device, deviceId);
    }

    public ExecutionDevice Device { get; }

    public LayerRows Extract(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct)
    {
        var frontend = new MusicnnFrontendStream();
        var pending = new List<float[]>(BatchPatches);
        var run = new BatchRunner(_session, layer, request.IncludeTags && layer != "taggram");
        long nativeFrames = MonoResampledReader.Pump(audio, MusicnnFrontend.SampleRate, request.ResamplerVersion, librosaFixLength: true, block =>
        {
            frontend.Push(block, pending);
            if (pending.Count >= BatchPatches) run.Run(pending, ct);
        }, ct, request.ExactResampling);
        frontend.Complete(pending);
        if (pending.Count > 0) run.Run(pending, ct);
        if (run.Patches == 0) throw new InvalidDataException("the file holds no audio samples");

        var rows = run.Rows.ToArray();
        float[]? meanTags = run.TagSums?.Select(s => (float)(s / run.Patches)).ToArray();
        if (layer == "taggram" && request.IncludeTags) meanTags = Pipeline.Pooler.Mean(rows, rows.Length / TagCount, TagCount);
        return new LayerRows(rows, rows.Length / run.Dimension, run.Dimension, run.Patches, meanTags, nativeFrames, audio.SampleRate);
    }

    /// <summary>Runs batches of patches through the session and keeps the layer rows (and tag sums).</summary>
    private sealed class BatchRunner
    {
        private readonly InferenceSession _session;
        private readonly string[] _outputs;
        private float[] _input = Array.Empty<float>();

        public BatchRunner(InferenceSession session, string layer, bool withTags)
        {
            _session = session;
            _outputs = withTags ? new[] { layer, "taggram" } : new[] { layer };
            if (withTags) TagSums = new double[TagCount];
        }

        public List<float> Rows { get; } = new();
        public double[]? TagSums { get; }
        public int Dimension { get; private set; }
        public int Patches { get; private set; }

        public void Run(List<float[]> patches, CancellationToken ct)
        {
            int n = patches.Count;
            int size = n * MusicnnPatcher.PatchValues;
            if (_input.Length < size) _input = new float[BatchPatches * MusicnnPatcher.PatchValues * ((n + BatchPatches - 1) / BatchPatches)];
            for (int i = 0; i < n; i++) patches[i].CopyTo(_input, i * MusicnnPatcher.PatchValues);
            patches.Clear();

            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, size),
                new long[] { n, MusicnnPatcher.PatchFrames, MusicnnPatcher.MelBands });
            using (var results = _session.RunExclusive(new[] { "patches" }, new[] { input }, _outputs, ct))
            {
                Dimension = (int)results[0].GetTensorTypeAndShape().Shape[^1];
                foreach (var v in results[0].GetTensorDataAsSpan<float>()) Rows.Add(v);
                if (TagSums != null)
                {
                    var tags = results[1].GetTensorDataAsSpan<float>();
                    for (int i = 0; i < tags.Length; i++) TagSums[i % TagCount] += tags[i];
                }
            }
            Patches += n;
        }
    }
}
