using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Pipeline;

/// <summary>One model of a several-model run: the installed model and what to compute with it.</summary>
public sealed record ModelJob(InstalledModel Model, EmbeddingRequest Request);

/// <summary>What one (file, model) gave: an embedding, or the error of that model alone.</summary>
public sealed record ModelOutcome(ModelJob Job, AudioEmbedding? Embedding, Exception? Error);

/// <summary>
/// Several models over one file in one pass. The file is decoded once and down-mixed once; the mono stream is teed
/// (<see cref="MonoTee"/>) to one resampler per distinct recipe (rate, algorithm, table, length rule), and each
/// resampled block goes to the front end of every model sharing that recipe. The branch that is furthest behind is
/// always advanced first, so memory stays bounded by about one block per branch whatever the file's length.
/// Each model's rows are exactly those of its single-model run: same blocks of the same resampler into the same
/// front end (<see cref="StreamingExtractor.Start"/>).
/// A model that fails (a layer it lacks, a run error) fails alone; unreadable audio fails every model of the file.
/// </summary>
public sealed class MultiModelEmbedder
{
    private const int ReadBlock = 16384; // as MonoResampledReader: the same block sizes reach the front ends

    private readonly EmbeddingEngine _engine;

    public MultiModelEmbedder(EmbeddingEngine engine) => _engine = engine;

    /// <summary>
    /// One outcome per job, in the jobs' order. Throws only what stops the whole command: cancellation and
    /// <see cref="DeviceUnavailableException"/>.
    /// </summary>
    public IReadOnlyList<ModelOutcome> Embed(string audioPath, IReadOnlyList<ModelJob> jobs, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var runs = new ModelRun[jobs.Count];
        var errors = new Exception?[jobs.Count];
        for (int i = 0; i < jobs.Count; i++)
        {
            try { runs[i] = ModelRun.Start(jobs[i]); }
            catch (Exception ex) when (!IsFatal(ex)) { errors[i] = ex; }
        }

        if (runs.All(r => r is null)) return FailAll(jobs, errors, new InvalidOperationException("no model could start")); // every error is already set

        IAudioSource? audio = null;
        try
        {
            try { audio = AudioFile.Open(audioPath, jobs[0].Request.Decoder, ct); }
            catch (Exception ex) when (!IsFatal(ex)) { return FailAll(jobs, errors, ex); }

            var counted = new CountingSource(audio);
            var tee = new MonoTee(counted.ToMono());
            var groups = runs.Select((run, i) => (run, i)).Where(r => r.run is not null)
                .GroupBy(r => r.run.Recipe)
                .Select(g => new RecipeGroup(tee.AddBranch(), g.Key, g.Select(r => r.i).ToList()))
                .ToList();
            try { Pump(tee, groups, runs, errors, ct); }
            catch (Exception ex) when (!IsFatal(ex)) // the decoder failed: every model still running fails with it
            {
                var error = ex is InvalidDataException ? new AudioDecodeException(audioPath, ex.Message, inner: ex) : ex;
                return FailAll(jobs, errors, error);
            }

            var truncated = TruncatedAudio.Check(audio, counted.FramesRead); // a cut file still embeds; the caller warns
            var outcomes = new ModelOutcome[jobs.Count];
            for (int i = 0; i < jobs.Count; i++)
            {
                if (errors[i] is null)
                {
                    try
                    {
                        var rows = runs[i].Run.Finish(counted.FramesRead, audio.SampleRate, ct);
                        outcomes[i] = new ModelOutcome(jobs[i], _engine.ToEmbedding(audioPath, jobs[i].Model, jobs[i].Request, runs[i].Layer,
                            runs[i].Extractor, rows, truncated, stopwatch.Elapsed), null);
                        continue;
                    }
                    catch (InvalidDataException ex) { errors[i] = new AudioDecodeException(audioPath, ex.Message, inner: ex); }
                    catch (Exception ex) when (!IsFatal(ex)) { errors[i] = ex; }
                }
                outcomes[i] = new ModelOutcome(jobs[i], null, errors[i]);
            }
            return outcomes;
        }
        finally
        {
            audio?.Dispose();
        }
    }

    /// <summary>Reads the branches in step (the one furthest behind first) and feeds each block to its models.</summary>
    private static void Pump(MonoTee tee, List<RecipeGroup> groups, ModelRun[] runs, Exception?[] errors, CancellationToken ct)
    {
        var block = new float[ReadBlock];
        var active = new List<RecipeGroup>(groups);
        while (active.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var group = active.MinBy(g => g.Branch.Position)!;
            int n = group.Resampled.Read(block);
            if (n == 0) { active.Remove(group); continue; }
            foreach (int i in group.Jobs)
            {
                if (errors[i] is not null) continue;
                try { runs[i].Run.Accept(block.AsSpan(0, n), ct); }
                catch (Exception ex) when (!IsFatal(ex)) { errors[i] = ex; }
            }
            if (group.Jobs.All(i => errors[i] is not null)) // nobody left to feed: stop reading (and holding) this branch
            {
                active.Remove(group);
                tee.Detach(group.Branch);
            }
        }
    }

    private static IReadOnlyList<ModelOutcome> FailAll(IReadOnlyList<ModelJob> jobs, Exception?[] errors, Exception error) =>
        jobs.Select((job, i) => new ModelOutcome(job, null, errors[i] ?? error)).ToArray();

    private static bool IsFatal(Exception ex) => ex is OperationCanceledException or DeviceUnavailableException;

    private sealed record RecipeGroup(MonoTee.Branch Branch, ResampleRecipe Recipe, List<int> Jobs)
    {
        public IAudioSource Resampled { get; } = Branch.ResampleTo(Recipe);
    }

    /// <summary>One model's share of the file: its layer, extractor and started run.</summary>
    private sealed record ModelRun(string Layer, IEmbeddingExtractor Extractor, StreamingExtractor.FileRun Run)
    {
        public ResampleRecipe Recipe => Run.Recipe;

        public static ModelRun Start(ModelJob job)
        {
            string layer = EmbeddingEngine.ResolveLayer(job.Model.Manifest, job.Request.Layer);
            var extractor = EmbeddingEngine.ExtractorFor(job.Model, job.Request);
            if (extractor is not StreamingExtractor streaming)
                throw new NotSupportedException($"{job.Model.Manifest.Family} cannot share a decode with other models.");
            return new ModelRun(layer, extractor, streaming.Start(layer, job.Request, pooled: job.Request.Pooling != Pooling.None));
        }
    }
}
