using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// musicnn's preprocessing and inference: mono, 16 kHz (resampy kaiser_best + librosa's fix_length),
/// log-mel patches of 187 × 96, the model run in batches of patches; one row per patch for the chosen
/// layer (two per patch for vgg's pool5, which keeps two time steps).
/// </summary>
internal sealed class MusicnnExtractor : IEmbeddingExtractor
{
    private const int BatchPatches = 8;
    private readonly InferenceSession _session;

    public MusicnnExtractor(InstalledModel model, ExecutionDevice device, int deviceId)
    {
        (_session, Device) = SessionFactory.Get(model.OnnxPath, device, deviceId);
    }

    public ExecutionDevice Device { get; }

    public LayerRows Extract(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct)
    {
        var counted = new CountingSource(audio);
        float[] waveform;
        using (var mono = new MonoDownmixSource(counted, leaveOpen: true))
        using (var at16k = new ResampledSource(mono, MusicnnFrontend.SampleRate, ResampyFilter.KaiserBest, request.ResamplerVersion, fixLength: true, leaveOpen: true))
            waveform = at16k.ReadAll();
        if (waveform.Length == 0) throw new InvalidDataException("the file holds no audio samples");

        var patches = MusicnnPatcher.FromWaveform(waveform);
        var outputNames = request.IncludeTags && layer != "taggram" ? new[] { layer, "taggram" } : new[] { layer };
        List<float> rows = new();
        double[]? tagSums = request.IncludeTags ? new double[50] : null;
        int dim = 0;

        for (int start = 0; start < patches.Count; start += BatchPatches)
        {
            ct.ThrowIfCancellationRequested();
            int n = Math.Min(BatchPatches, patches.Count - start);
            var batch = patches.Data.AsMemory(start * MusicnnPatcher.PatchValues, n * MusicnnPatcher.PatchValues);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, batch, new long[] { n, MusicnnPatcher.PatchFrames, MusicnnPatcher.MelBands });
            using var runOptions = new RunOptions();
            using var stop = ct.Register(() => runOptions.Terminate = true);
            IDisposableReadOnlyCollection<OrtValue> results;
            try { results = _session.Run(runOptions, new[] { "patches" }, new[] { input }, outputNames); }
            catch (OnnxRuntimeException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
            using (results)
            {
                var layerValues = results[0].GetTensorDataAsSpan<float>();
                dim = (int)results[0].GetTensorTypeAndShape().Shape[^1];
                foreach (var v in layerValues) rows.Add(v);
                if (tagSums != null)
                {
                    var tags = results[outputNames.Length - 1].GetTensorDataAsSpan<float>();
                    for (int i = 0; i < tags.Length; i++) tagSums[i % 50] += tags[i];
                }
            }
        }
        float[]? meanTags = tagSums?.Select(s => (float)(s / patches.Count)).ToArray();
        var rowArray = rows.ToArray();
        return new LayerRows(rowArray, rowArray.Length / dim, dim, patches.Count, meanTags, counted.FramesRead, audio.SampleRate);
    }
}
