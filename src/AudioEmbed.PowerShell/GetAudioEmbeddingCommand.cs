using System.Management.Automation;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Computes one embedding per audio file with a model of the catalog (MusiCNN, MERT, EnCodecMAE), or one per (file, model)
/// with several models in one pass (GetAudioEmbeddingCommand.Multi.cs).
/// </summary>
[Cmdlet(VerbsCommon.Get, "AudioEmbedding", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AudioEmbedding))]
public sealed partial class GetAudioEmbeddingCommand : AudioFileCmdlet
{
    /// <summary>The family computed without -Model (the seed pipeline's default).</summary>
    public const string DefaultModel = "MusiCNN";

    /// <summary>One family, or several computed in one pass (each file decoded once).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateModelFamily]
    [ArgumentCompleter(typeof(ModelFamilyCompleter))]
    public string[] Model { get; set; } = { DefaultModel };

    /// <summary>A variant, or Model=Variant pairs when several models are named.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(VariantCompleter))]
    public string[]? Variant { get; set; }

    /// <summary>A layer, or Model=Layer pairs when several models are named.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(LayerCompleter))]
    public string[]? Layer { get; set; }

    [Parameter]
    public Pooling Pooling { get; set; } = Pooling.Mean;

    /// <summary>The seed's --full_sequence: same as -Pooling None.</summary>
    [Parameter]
    public SwitchParameter FullSequence { get; set; }

    [Parameter]
    public ExecutionDevice Device { get; set; } = ExecutionDevice.Cpu;

    [Parameter]
    [ValidateRange(0, 64)]
    public int DeviceId { get; set; }

    /// <summary>Int8 (EnCodecMAE, MERT-v1-330M): dynamic int8 Linear layers on the CPU, about 2–2.5× faster at cosine ≥ 0.999 to float32.</summary>
    [Parameter]
    public Precision Precision { get; set; } = Precision.Float32;

    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <summary>With -SkipExisting: the layout the embeddings were exported with (see Export-EmbeddingNpy).</summary>
    [Parameter]
    public OutputLayoutKind Layout { get; set; } = OutputLayoutKind.Flat;

    /// <summary>With -Layout Relative: the library root (default: the current location).</summary>
    [Parameter]
    public string? RelativeTo { get; set; }

    [Parameter]
    public string OutputDirectory { get; set; } = System.IO.Path.Combine("output", "embeddings");

    [Parameter]
    public SwitchParameter IncludeTags { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public int Top { get; set; } = 10;

    /// <summary>
    /// The resampler in front of the model; default: the family's (MusiCNN Resampy, MERT and EnCodecMAE SoxrHQ).
    /// With several models, a plain value applies to every model and Model=Value pairs to one (a pair wins).
    /// </summary>
    [Parameter]
    [ValidatePerModelSet(ResamplerNames.SoxrHq, ResamplerNames.Torchaudio, ResamplerNames.Resampy)]
    [ArgumentCompleter(typeof(ResamplerCompleter))]
    public string[]? Resampler { get; set; }

    [Parameter]
    [ValidateSet(ResamplerNames.Resampy042, ResamplerNames.Resampy022)]
    public string ResampyVersion { get; set; } = ResamplerNames.Resampy042;

    [Parameter]
    public string? ModelPath { get; set; }

    /// <summary>Resample with resampy's exact loop (bit-identical, ~8× slower) instead of the polyphase path.</summary>
    [Parameter]
    public SwitchParameter ExactResampling { get; set; }

    /// <summary>MERT: seconds of audio per model run (default 5, the context MERT was trained on).</summary>
    [Parameter]
    [ValidateRange(1.0, 600.0)]
    public double? ChunkSeconds { get; set; }

    /// <summary>Auto: managed decoders for WAV/AIFF/FLAC/MP3/Ogg Vorbis/M4A ALAC, ffmpeg for the rest; Managed: never ffmpeg; FFmpeg: ffmpeg for all.</summary>
    [Parameter]
    public DecoderPreference Decoder { get; set; } = DecoderPreference.Auto;

    /// <summary>ffmpeg's executable or folder; default: $env:AUDIOEMBED_FFMPEG, then PATH.</summary>
    [Parameter]
    public string? FFmpegPath { get; set; }

    /// <summary>Files decoded and computed at once (worker threads); results still come out in input order.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    /// <summary>"k/n": process only this machine's share of the files (see about_AudioEmbed).</summary>
    [Parameter]
    [ValidatePattern(@"^\d+/\d+$")]
    public string? Shard { get; set; }

    private readonly CancellationTokenSource _cancel = new();
    private readonly ProgressThrottle _throttle = new();
    private EmbeddingEngine _engine = null!;
    private InstalledModel _model = null!;
    private EmbeddingRequest _request = null!;
    private string _outputDirectory = "";
    private int _done, _failed, _skipped;
    private Shard? _shard;
    private OutputLayout _layout = OutputLayout.Flat;
    // What -SkipExisting checks each file against, worked out once per run rather than per file.
    private string _modelFolder = "";
    private int[] _validDimensions = Array.Empty<int>();
    private ExistingEmbeddingCheck? _existing; // with -SkipExisting
    private OrderedParallelRunner<string, AudioEmbedding> _runner = null!;
    private readonly RunProgress _progress = new();

    protected override void BeginProcessing()
    {
        var (model, variant, layer, resampler) = SingleModelChoice();
        if (Multi) { BeginMulti(); return; }
        _request = new EmbeddingRequest
        {
            Model = model,
            Variant = variant,
            Layer = layer,
            Pooling = FullSequence ? Pooling.None : Pooling,
            Device = Device,
            DeviceId = DeviceId,
            Precision = Precision,
            IncludeTags = IncludeTags,
            TopTags = Top,
            Decoder = new DecoderOptions(Decoder, string.IsNullOrWhiteSpace(FFmpegPath) ? null : PathResolution.ResolveFolder(this, FFmpegPath)),
            Resampler = ResamplerOverrides(resampler),
            Options = ChunkSeconds is double seconds ? FamilyOptions.Empty.With(nameof(ChunkSeconds), seconds) : FamilyOptions.Empty,
        };
        _outputDirectory = PathResolution.ResolveFolder(this, OutputDirectory);
        _layout = LayoutSupport.Resolve(this, Layout, RelativeTo);
        try { _shard = Shard is null ? null : Core.Pipeline.Shard.Parse(Shard); }
        catch (FormatException ex) { ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidShard, ErrorCategory.InvalidArgument, Shard)); }
        try
        {
            _engine = new EmbeddingEngine(ModuleContext.Store(ModelPath));
            var progress = InstallCommandSupport.Progress(this);
            _model = _engine.EnsureInstalled(_request, progress, _cancel.Token, m => InstallCommandSupport.ReportSources(this, m));
            _modelFolder = ModuleContext.Catalog.Family(_model.Manifest.Family).Folder;
            _validDimensions = _engine.Store.EmbeddingDimensions(_model.Manifest.Family, _model.Manifest.Variant);
            // A device that fails is fatal: the files already in flight are cancelled rather than each failing on it.
            _runner = new OrderedParallelRunner<string, AudioEmbedding>(ThrottleLimit, (file, ct) => _engine.Embed(file, _model, _request, ct), _cancel.Token,
                isFatal: ex => ex is DeviceUnavailableException);
            WriteVerbose($"Model {_model.Manifest.Family} {_model.Manifest.Variant} from {_model.Directory}; layer {_request.Layer ?? _model.Manifest.DefaultLayer}, pooling {_request.Pooling}, device {Device}.");
        }
        catch (ModelStoreException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.ModelUnavailable, ErrorCategory.ObjectNotFound, model));
        }
        catch (NotSupportedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.PrecisionUnsupported, ErrorCategory.InvalidArgument, Precision));
        }
        catch (ArgumentException ex) // a setting the model family does not have (e.g. -ChunkSeconds with MusiCNN)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidModelSetting, ErrorCategory.InvalidArgument, model));
        }
        try
        {
            // A wrong -Layer fails once, not once per file; the resolved configuration (with the resampling recipe)
            // picks the folder -SkipExisting looks in: the one Export-EmbeddingNpy writes this run's embeddings to.
            EmbeddingEngine.ResolveLayer(_model.Manifest, layer);
            if (SkipExisting)
                _existing = ExistingCheck(_model, _request);
        }
        catch (ModelStoreException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, layer));
        }
    }

    protected override void ProcessRecord()
    {
        if (Multi) { ProcessMulti(); return; }
        var files = InputFiles();
        // Several files in one call (-Path *.mp3, an array): their header durations give a total for percent and ETA.
        if (files.Count > 1) _progress.Plan(files, _request.Decoder);
        foreach (var file in files)
        {
            if (_cancel.IsCancellationRequested) return;
            if (_shard is { } shard && !shard.Owns(file)) { WriteVerbose($"Skipping '{file}': it belongs to another shard than {shard}."); continue; }
            if (SkipExisting && IsAlreadyDone(file)) continue;
            if (_throttle.ShouldReport()) WriteProgress(_progress.Record(_done, _failed, file));
            WriteVerbose($"Processing '{file}'");
            foreach (var completed in _runner.Add(file)) Emit(completed);
        }
    }

    /// <summary>Writes one finished file to the pipeline (on the pipeline thread, in input order).</summary>
    /// <param name="firstOfFile">False for a file's second and later models (several models in one pass): its audio is counted and warned about once.</param>
    private void Emit(OrderedParallelRunner<string, AudioEmbedding>.Completed completed, bool firstOfFile = true)
    {
        var file = completed.Item;
        switch (completed.Error)
        {
            case null:
                var embedding = completed.Result!;
                _done++;
                if (firstOfFile) _progress.Completed(embedding.Duration);
                WriteVerbose($"'{embedding.Name}': {embedding.Dimension} values from {embedding.Patches} patches of {embedding.Duration.TotalSeconds:0.0} s audio at {embedding.SampleRate} Hz (resampler: {embedding.Resampler}) in {embedding.Elapsed.TotalMilliseconds:0} ms.");
                if (firstOfFile && embedding.Truncation is { } cut) // warnings carry no id in PowerShell's public API: the text names it
                    WriteWarning($"{ErrorIds.TruncatedAudio}: '{file}' is truncated: {cut.Describe()}. The embedding covers the decoded part only.");
                WriteObject(embedding);
                break;
            case OperationCanceledException when _cancel.IsCancellationRequested || _runner.Stopped:
                break;
            case DeviceUnavailableException ex:
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.DeviceUnavailable, ErrorCategory.ResourceUnavailable, Device));
                break;
            case AudioDecodeException ex:
                _failed++;
                WriteError(new ErrorRecord(ex, ErrorIds.AudioDecodeFailed, ErrorCategory.InvalidData, file));
                break;
            case AudioTooLongException ex:
                _failed++;
                WriteError(new ErrorRecord(new InvalidOperationException($"Cannot keep the whole sequence of '{file}': {ex.Message}", ex),
                    ErrorIds.AudioTooLong, ErrorCategory.LimitsExceeded, file));
                break;
            case var ex:
                _failed++;
                WriteError(new ErrorRecord(new InvalidOperationException($"Cannot compute the embedding of '{file}': {ex.Message}", ex),
                    ErrorIds.EmbeddingFailed, ErrorCategory.NotSpecified, file));
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (Multi) { EndMulti(); return; }
        foreach (var completed in _runner.Drain()) Emit(completed);
        WriteProgress(_progress.Done());
        WriteVerbose($"{_done} embedded, {_skipped} skipped (already done), {_failed} failed.");
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>
    /// One model's -Resampler (<paramref name="resampler"/>: its pair's value or the plain value), and -ResampyVersion /
    /// -ExactResampling for a recipe that uses resampy; unset ones keep the family's choice.
    /// </summary>
    private Core.Audio.Resampling.ResamplerOverrides? ResamplerOverrides(string? resampler) =>
        ResamplerNames.Overrides(resampler, MyInvocation.BoundParameters.ContainsKey(nameof(ResampyVersion)) ? ResampyVersion : null, ExactResampling);

    /// <summary>
    /// -SkipExisting for one model: the configuration this run computes, with its resampling recipe (a non-default
    /// one has its own folder), so only files missing from that configuration's folder are computed again.
    /// </summary>
    private ExistingEmbeddingCheck ExistingCheck(InstalledModel model, EmbeddingRequest request)
    {
        var family = ModuleContext.Catalog.Family(model.Manifest.Family);
        var configuration = new EmbeddingConfiguration(model.Manifest.Variant, EmbeddingEngine.ResolveLayer(model.Manifest, request.Layer), request.Pooling,
            request.Precision, FamilyResampling.ConfigurationName(family, request.Resampler));
        return new ExistingEmbeddingCheck(_outputDirectory, family, configuration, _engine.Store.EmbeddingDimensions(model.Manifest.Family, model.Manifest.Variant), _layout);
    }

    private bool IsAlreadyDone(string file)
    {
        if (_existing?.Existing(file) is not { } npy) return false;
        _skipped++;
        WriteVerbose($"Skipping '{file}': '{npy}' already exists.");
        return true;
    }
}
