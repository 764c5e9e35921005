using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// What a family decides for one file: its input stream, the session input it feeds and how many inputs go in one
/// run, which layer outputs become rows, optionally extra outputs it reads itself (MusiCNN's tags), and what to say
/// when the audio makes no input at all.
/// </summary>
internal sealed record FilePlan(IModelInputStream Input, string InputName, int BatchSize, LayerReader Layer, string NoInputMessage)
{
    /// <summary>Graph outputs fetched after the layer's; their results follow the layer's in the list <see cref="OnOutputs"/> gets.</summary>
    public string[] ExtraOutputs { get; init; } = Array.Empty<string>();

    /// <summary>Sees every run's results (layer outputs first, then <see cref="ExtraOutputs"/>).</summary>
    public Action<IReadOnlyList<OrtValue>>? OnOutputs { get; init; }

    /// <summary>
    /// Samples between consecutive rows of one input, given how many rows an input made (for frame times: row r of an
    /// input starting at sample s starts at s + r · hop). Null: the family gives no times.
    /// </summary>
    public Func<int, double>? RowHopSamples { get; init; }

    /// <summary>The tag likelihoods averaged over the song, read once the file is done.</summary>
    public Func<float[]>? MeanTaggram { get; init; }
}

/// <summary>
/// An extractor is a session plus a family's <see cref="FilePlan"/>: everything else (the audio chain, the loop,
/// batching, pooling or keeping the rows) is this shared code. The rows are pooled as they come when only the pooled
/// embedding is wanted, so memory does not grow with the file's length.
/// </summary>
internal abstract class StreamingExtractor : IEmbeddingExtractor
{
    protected StreamingExtractor(InferenceSession session, ExecutionDevice device)
    {
        Session = session;
        Device = device;
    }

    protected InferenceSession Session { get; }

    public ExecutionDevice Device { get; }

    /// <summary>How the family brings audio to its rate (a request may override the user-facing choices).</summary>
    public abstract ResampleRecipe Resampling { get; }

    /// <summary>The family's decisions for one file (throws <see cref="ArgumentException"/> for a layer it lacks).</summary>
    protected abstract FilePlan Plan(string layer, EmbeddingRequest request);

    public LayerRows Extract(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: false, ct);

    public LayerRows ExtractPooled(IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct) =>
        Run(audio, layer, request, pooled: true, ct);

    private LayerRows Run(IAudioSource audio, string layer, EmbeddingRequest request, bool pooled, CancellationToken ct)
    {
        var run = Start(layer, request, pooled);
        long nativeFrames = MonoResampledReader.Pump(audio, run.Recipe, block => run.Accept(block, ct), ct);
        return run.Finish(nativeFrames, audio.SampleRate, ct);
    }

    /// <summary>
    /// One file's run, fed by the caller block by block (mono at <see cref="FileRun.Recipe"/>'s rate): the single-model
    /// path pumps it from the file, <see cref="MultiModelEmbedder"/> from the one decode it shares between models.
    /// </summary>
    public FileRun Start(string layer, EmbeddingRequest request, bool pooled)
    {
        var plan = Plan(layer, request);
        int width = plan.Layer.RowWidth;
        var rows = pooled ? RowCollector.Pool(request.Pooling, width) : RowCollector.Keep(width);
        var outputs = plan.Layer.Outputs.Concat(plan.ExtraOutputs).ToArray();
        var times = pooled || plan.RowHopSamples is null ? null : new RowTimes(Resampling.TargetRate, plan.RowHopSamples);
        var runner = new ModelRunner(Session, plan.InputName, plan.BatchSize, outputs, (results, inputs) =>
        {
            long before = rows.RowCount;
            plan.Layer.AddRows(results, rows);
            times?.Add(inputs, rows.RowCount - before);
            plan.OnOutputs?.Invoke(results);
        });
        return new FileRun(Resampling.With(request.Resampler), plan, runner, rows, times);
    }

    /// <summary>A started file: <see cref="Accept"/> each block, then <see cref="Finish"/> once for its rows.</summary>
    internal sealed class FileRun
    {
        private readonly FilePlan _plan;
        private readonly ModelRunner _runner;
        private readonly RowCollector _rows;
        private readonly RowTimes? _times;

        internal FileRun(ResampleRecipe recipe, FilePlan plan, ModelRunner runner, RowCollector rows, RowTimes? times)
        {
            Recipe = recipe;
            _plan = plan;
            _runner = runner;
            _rows = rows;
            _times = times;
        }

        /// <summary>The family's recipe with the request's overrides: the rate and algorithm of the blocks it takes.</summary>
        public ResampleRecipe Recipe { get; }

        public void Accept(ReadOnlySpan<float> block, CancellationToken ct) => _runner.Accept(_plan.Input, block, ct);

        public LayerRows Finish(long nativeFrames, int nativeSampleRate, CancellationToken ct)
        {
            _runner.Complete(_plan.Input, ct);
            if (_runner.Inputs == 0) throw new InvalidDataException(_plan.NoInputMessage);
            int width = _plan.Layer.RowWidth;
            var values = _rows.ToArray();
            return new LayerRows(values, values.Length / width, width, _runner.Inputs, _plan.MeanTaggram?.Invoke(), nativeFrames, nativeSampleRate)
            {
                RowStartSeconds = _times?.ToArray(),
                Resampler = Recipe.Describe(nativeSampleRate),
                ResamplingRecipe = Recipe.Name,
            };
        }
    }
}
