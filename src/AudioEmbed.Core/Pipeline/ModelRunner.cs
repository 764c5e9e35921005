using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// The one loop every family runs a file through: the decoded audio goes down the chain (mono, the family's
/// resampling recipe) block by block into the family's <see cref="IModelInputStream"/>; the inputs it makes ready
/// are gathered into batches of equal shape (up to the family's batch size; an input of another shape, such as a
/// short last chunk, runs on its own) and run through the session one Run at a time (<see cref="ExclusiveRun"/>);
/// the outputs of every run are handed on in order. Cancellation stops between blocks and terminates a Run.
/// </summary>
internal sealed class ModelRunner
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputs;
    private readonly int _maxBatch;
    private readonly Action<IReadOnlyList<OrtValue>, IReadOnlyList<ModelInput>> _onOutputs;
    private readonly List<ModelInput> _pending = new();
    private float[] _batch = Array.Empty<float>();

    /// <param name="onOutputs">Each run's results, with the inputs that made them (in batch order).</param>
    public ModelRunner(InferenceSession session, string inputName, int maxBatch, string[] outputs, Action<IReadOnlyList<OrtValue>, IReadOnlyList<ModelInput>> onOutputs)
    {
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), "at least one input per run");
        _session = session;
        _inputNames = new[] { inputName };
        _outputs = outputs;
        _maxBatch = maxBatch;
        _onOutputs = onOutputs;
    }

    /// <summary>Inputs run so far (chunks, patches).</summary>
    public int Inputs { get; private set; }

    /// <summary>Runs the whole file; returns how many native frames were decoded.</summary>
    public long Run(IAudioSource audio, ResampleRecipe recipe, IModelInputStream stream, CancellationToken ct)
    {
        long frames = MonoResampledReader.Pump(audio, recipe, block => Accept(stream, block, ct), ct);
        Complete(stream, ct);
        return frames;
    }

    /// <summary>One block of mono samples at the model's rate (for callers that pump the audio themselves, as
    /// <see cref="MultiModelEmbedder"/> does for several models at once); runs the inputs it completes.</summary>
    public void Accept(IModelInputStream stream, ReadOnlySpan<float> block, CancellationToken ct)
    {
        stream.Accept(block);
        Take(stream, ct);
    }

    /// <summary>The end of the audio: the stream's end-of-file rule, then the last batch.</summary>
    public void Complete(IModelInputStream stream, CancellationToken ct)
    {
        stream.Finish();
        Take(stream, ct);
        Flush(ct);
    }

    private void Take(IModelInputStream stream, CancellationToken ct)
    {
        while (stream.TryTake(out var input))
        {
            if (_pending.Count > 0 && !_pending[0].SameShape(input)) Flush(ct);
            _pending.Add(input);
            if (_pending.Count == _maxBatch) Flush(ct);
        }
    }

    private void Flush(CancellationToken ct)
    {
        int count = _pending.Count;
        if (count == 0) return;
        var first = _pending[0];
        int size = first.Values.Length;
        Memory<float> values;
        if (count == 1) values = first.Values;
        else
        {
            if (_batch.Length < count * size) _batch = new float[_maxBatch * size];
            for (int i = 0; i < count; i++) _pending[i].Values.CopyTo(_batch, i * size);
            values = _batch.AsMemory(0, count * size);
        }
        var shape = new long[first.Shape.Length + 1];
        shape[0] = count;
        for (int i = 0; i < first.Shape.Length; i++) shape[i + 1] = first.Shape[i];
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, values, shape);
        using (var results = _session.RunExclusive(_inputNames, new[] { input }, _outputs, ct))
        {
            _onOutputs(results, _pending);
        }
        foreach (var done in _pending) done.Release();
        _pending.Clear();
        Inputs += count;
    }
}
