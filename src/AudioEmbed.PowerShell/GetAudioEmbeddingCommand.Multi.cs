using System.Management.Automation;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Several models in one pass (-Model A, B, C): each file is decoded once by <see cref="MultiModelEmbedder"/>, and one
/// AudioEmbedding comes out per (file, model), file-major, in input order. -Variant/-Layer take Model=Value pairs;
/// -Resampler takes them too, and a plain -Resampler value applies to every model without a pair.
/// A single -Model keeps the one-model path of GetAudioEmbeddingCommand.cs untouched.
/// </summary>
public sealed partial class GetAudioEmbeddingCommand
{
    /// <summary>One file and the models still to compute for it (-SkipExisting drops the ones already written).</summary>
    private sealed record FileJobs(string File, ModelJob[] Jobs);

    private bool Multi => Model.Length > 1;
    private Dictionary<string, string> _variants = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> _layers = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> _resamplers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key of a plain -Resampler value with several models: every model without its own pair.</summary>
    private const string EveryModel = "*";
    private ModelJob[] _jobs = Array.Empty<ModelJob>();
    private ExistingEmbeddingCheck[] _jobExisting = Array.Empty<ExistingEmbeddingCheck>(); // with -SkipExisting, per model
    private OrderedParallelRunner<FileJobs, IReadOnlyList<ModelOutcome>> _multiRunner = null!;

    /// <summary>
    /// Checks -Model, -Variant, -Layer and -Resampler together (a model named twice, a pair naming an unknown model or
    /// one not in -Model, a plain -Variant/-Layer value with several models) and returns the first model's choices,
    /// which the one-model path uses.
    /// </summary>
    private (string Model, string? Variant, string? Layer, string? Resampler) SingleModelChoice()
    {
        var duplicate = Model.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) FailChoice($"-Model names {duplicate.Key} twice: each model is computed once per file.", duplicate.Key);
        _variants = PerModel(Variant, nameof(Variant), "MERT=MERT-v1-330M");
        _layers = PerModel(Layer, nameof(Layer), "MusiCNN=taggram");
        _resamplers = PerModel(Resampler, nameof(Resampler), "Mert=Torchaudio", plainForEveryModel: true);
        return (Model[0], _variants.GetValueOrDefault(Model[0]), _layers.GetValueOrDefault(Model[0]), ResamplerOf(Model[0]));
    }

    /// <summary>One model's -Resampler: its pair, else the plain value (every model's), else null (the family's own).</summary>
    private string? ResamplerOf(string model) => _resamplers.GetValueOrDefault(model) ?? _resamplers.GetValueOrDefault(EveryModel);

    /// <summary>
    /// -Variant/-Layer/-Resampler as model → value: "Model=Value" pairs, or a plain value when one model is named.
    /// With <paramref name="plainForEveryModel"/> (-Resampler), a plain value with several models is kept under
    /// <see cref="EveryModel"/> for the models without a pair, as -Resampler has always applied to every model.
    /// </summary>
    private Dictionary<string, string> PerModel(string[]? values, string parameter, string example, bool plainForEveryModel = false)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values ?? Array.Empty<string>())
        {
            int equals = value.IndexOf('=');
            string model, choice;
            if (equals > 0)
            {
                model = value[..equals].Trim();
                choice = value[(equals + 1)..].Trim();
                var families = ModuleContext.Catalog.Families;
                if (!families.Any(f => string.Equals(f.Name, model, StringComparison.OrdinalIgnoreCase)))
                    FailChoice($"Unknown model '{model}' in -{parameter} {value}. Known models: {string.Join(", ", families.Select(f => f.Name))}.", value);
                if (!Model.Contains(model, StringComparer.OrdinalIgnoreCase))
                    FailChoice($"-{parameter} {value} names {model}, which -Model does not ({string.Join(", ", Model)}).", value);
                if (choice.Length == 0) FailChoice($"-{parameter} {value} gives {model} no value.", value);
            }
            else
            {
                if (Multi && !plainForEveryModel)
                    FailChoice($"With several models, give -{parameter} as Model=Value pairs (for example -{parameter} {example}); '{value}' names no model.", value);
                model = Multi ? EveryModel : Model[0];
                choice = value;
            }
            if (!result.TryAdd(model, choice))
                FailChoice(model == EveryModel ? $"-{parameter} gives two plain values; with several models give Model=Value pairs (for example -{parameter} {example})." : $"-{parameter} gives {model} two values.", value);
        }
        return result;
    }

    private void FailChoice(string message, object target) =>
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), ErrorIds.InvalidModelChoice, ErrorCategory.InvalidArgument, target));

    private void BeginMulti()
    {
        _outputDirectory = PathResolution.ResolveFolder(this, OutputDirectory);
        _layout = LayoutSupport.Resolve(this, Layout, RelativeTo);
        try { _shard = Shard is null ? null : Core.Pipeline.Shard.Parse(Shard); }
        catch (FormatException ex) { ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidShard, ErrorCategory.InvalidArgument, Shard)); }
        var decoder = new DecoderOptions(Decoder, string.IsNullOrWhiteSpace(FFmpegPath) ? null : PathResolution.ResolveFolder(this, FFmpegPath));
        _engine = new EmbeddingEngine(ModuleContext.Store(ModelPath));
        var progress = InstallCommandSupport.Progress(this);
        var jobs = new List<ModelJob>();
        bool chunkUsed = false, int8Used = false;
        foreach (var name in Model)
        {
            var family = ModuleContext.Catalog.Family(name);
            // Settings of one family (MERT's -ChunkSeconds) go to the models that declare them.
            var chunkOption = ChunkSeconds is double seconds ? FamilyOptions.Empty.With(nameof(ChunkSeconds), seconds) : FamilyOptions.Empty;
            bool takesChunk = ChunkSeconds is not null && Declares(family.Name, chunkOption);
            chunkUsed |= takesChunk;
            var request = new EmbeddingRequest
            {
                Model = family.Name,
                Variant = _variants.GetValueOrDefault(name),
                Layer = _layers.GetValueOrDefault(name),
                Pooling = FullSequence ? Pooling.None : Pooling,
                Device = Device,
                DeviceId = DeviceId,
                Precision = Precision,
                IncludeTags = IncludeTags,
                TopTags = Top,
                Decoder = decoder,
                Resampler = ResamplerOverrides(ResamplerOf(name)),
                Options = takesChunk ? chunkOption : FamilyOptions.Empty,
            };
            InstalledModel installed = null!;
            try
            {
                try { installed = _engine.EnsureInstalled(request, progress, _cancel.Token, m => InstallCommandSupport.ReportSources(this, m)); int8Used |= Precision == Precision.Int8; }
                catch (NotSupportedException) when (Precision == Precision.Int8)
                {
                    // -Precision Int8 applies to the models that offer it; the others run float32.
                    request = request with { Precision = Precision.Float32 };
                    installed = _engine.EnsureInstalled(request, progress, _cancel.Token, m => InstallCommandSupport.ReportSources(this, m));
                    WriteVerbose($"{family.Name} has no Int8 precision: it runs Float32.");
                }
                EmbeddingEngine.ResolveLayer(installed.Manifest, request.Layer); // a wrong layer fails once, not once per file
            }
            catch (ModelStoreException ex) when (request.Layer is not null && ex.Message.Contains("has no layer"))
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, $"{name}={request.Layer}"));
            }
            catch (ModelStoreException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ModelUnavailable, ErrorCategory.ObjectNotFound, name));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidModelSetting, ErrorCategory.InvalidArgument, name));
            }
            jobs.Add(new ModelJob(installed, request));
            WriteVerbose($"Model {installed.Manifest.Family} {installed.Manifest.Variant} from {installed.Directory}; layer {request.Layer ?? installed.Manifest.DefaultLayer}, pooling {request.Pooling}, precision {request.Precision}.");
        }
        if (ChunkSeconds is not null && !chunkUsed)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"None of {string.Join(", ", Model)} has a setting -ChunkSeconds."), ErrorIds.InvalidModelSetting, ErrorCategory.InvalidArgument, ChunkSeconds));
        if (Precision == Precision.Int8 && !int8Used)
            ThrowTerminatingError(new ErrorRecord(new NotSupportedException($"None of {string.Join(", ", Model)} offers -Precision Int8."), ErrorIds.PrecisionUnsupported, ErrorCategory.InvalidArgument, Precision));
        _jobs = jobs.ToArray();
        if (SkipExisting)
            _jobExisting = _jobs.Select(j => ExistingCheck(j.Model, j.Request)).ToArray();
        var embedder = new MultiModelEmbedder(_engine);
        _request = _jobs[0].Request; // progress planning reads its decoder
        _multiRunner = new OrderedParallelRunner<FileJobs, IReadOnlyList<ModelOutcome>>(ThrottleLimit,
            (item, ct) => embedder.Embed(item.File, item.Jobs, ct), _cancel.Token, isFatal: ex => ex is DeviceUnavailableException);
    }

    /// <summary>Whether the family declares these settings (the engine refuses a setting a family lacks).</summary>
    private static bool Declares(string family, FamilyOptions options)
    {
        try { EmbeddingEngine.ValidateOptions(family, options); return true; }
        catch (ArgumentException) { return false; }
    }

    private void ProcessMulti()
    {
        var files = InputFiles();
        if (files.Count > 1) _progress.Plan(files, _request.Decoder);
        foreach (var file in files)
        {
            if (_cancel.IsCancellationRequested) return;
            if (_shard is { } shard && !shard.Owns(file)) { WriteVerbose($"Skipping '{file}': it belongs to another shard than {shard}."); continue; }
            var jobs = SkipExisting ? _jobs.Where((job, i) => !IsAlreadyDone(file, i)).ToArray() : _jobs;
            if (jobs.Length == 0) continue;
            if (_throttle.ShouldReport()) WriteProgress(_progress.Record(_done, _failed, file));
            WriteVerbose($"Processing '{file}' with {string.Join(", ", jobs.Select(j => j.Model.Manifest.Family))}");
            foreach (var completed in _multiRunner.Add(new FileJobs(file, jobs))) EmitMulti(completed);
        }
    }

    private void EndMulti()
    {
        foreach (var completed in _multiRunner.Drain()) EmitMulti(completed);
        WriteProgress(_progress.Done());
        WriteVerbose($"{_done} embedded, {_skipped} skipped (already done), {_failed} failed (counted per file and model).");
    }

    /// <summary>One file's outcomes, model by model in -Model order; errors name the model.</summary>
    private void EmitMulti(OrderedParallelRunner<FileJobs, IReadOnlyList<ModelOutcome>>.Completed completed)
    {
        string file = completed.Item.File;
        if (completed.Error is { } fatal) // cancellation or a device that failed: the command's own end
        {
            Emit(new OrderedParallelRunner<string, AudioEmbedding>.Completed(file, null, fatal));
            return;
        }
        bool first = true;
        foreach (var outcome in completed.Result!)
        {
            if (outcome.Embedding is { } embedding)
            {
                Emit(new OrderedParallelRunner<string, AudioEmbedding>.Completed(file, embedding, null), firstOfFile: first);
                first = false;
                continue;
            }
            string model = outcome.Job.Model.Manifest.Family;
            var (exception, id, category) = outcome.Error switch
            {
                AudioDecodeException ex => ((Exception)ex, ErrorIds.AudioDecodeFailed, ErrorCategory.InvalidData),
                AudioTooLongException ex => (new InvalidOperationException($"Cannot keep the whole {model} sequence of '{file}': {ex.Message}", ex), ErrorIds.AudioTooLong, ErrorCategory.LimitsExceeded),
                var ex => (new InvalidOperationException($"Cannot compute the {model} embedding of '{file}': {ex!.Message}", ex), ErrorIds.EmbeddingFailed, ErrorCategory.NotSpecified),
            };
            _failed++;
            var record = new ErrorRecord(exception, id, category, file);
            if (outcome.Error is AudioDecodeException) record.ErrorDetails = new ErrorDetails($"{model}: {exception.Message}");
            WriteError(record);
        }
    }

    /// <summary>-SkipExisting for one model of the run: its own folder and valid dimensions.</summary>
    private bool IsAlreadyDone(string file, int job)
    {
        if (_jobExisting[job].Existing(file) is not { } npy) return false;
        _skipped++;
        WriteVerbose($"Skipping {_jobs[job].Model.Manifest.Family} for '{file}': '{npy}' already exists.");
        return true;
    }
}
