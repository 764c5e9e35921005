using System.Management.Automation;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Writes embeddings as numpy .npy files in the seed pipeline's layout: &lt;OutputDirectory&gt;/&lt;model&gt;/&lt;song&gt;.npy for
/// the default configuration, &lt;model&gt;/&lt;variant&gt;.&lt;layer&gt;.&lt;pooling&gt;[.int8][.&lt;resampler&gt;]/&lt;song&gt;.npy for any other (see OutputLayout).
/// </summary>
[Cmdlet(VerbsData.Export, "EmbeddingNpy", SupportsShouldProcess = true)]
[OutputType(typeof(ExportResult), typeof(FileInfo))]
public sealed class ExportEmbeddingNpyCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public AudioEmbedding InputObject { get; set; } = null!;

    [Parameter(Position = 0)]
    public string OutputDirectory { get; set; } = Path.Combine("output", "embeddings");

    /// <summary>Flat: &lt;song&gt;.npy (the Python layout). Relative: the audio folders below -RelativeTo mirrored.</summary>
    [Parameter]
    public OutputLayoutKind Layout { get; set; } = OutputLayoutKind.Flat;

    /// <summary>With -Layout Relative: the library root whose folders are mirrored (default: the current location).</summary>
    [Parameter]
    public string? RelativeTo { get; set; }

    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>With -Pooling None: also write &lt;song&gt;.times.npy (float64 start time in seconds of each row).</summary>
    [Parameter]
    public SwitchParameter IncludeTimes { get; set; }

    /// <summary>Replace a file of another configuration at the target path (otherwise AudioEmbed.ConfigurationConflict).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    // Each model folder's manifest, read once per run and kept current as lines are appended.
    private readonly Dictionary<string, Dictionary<string, EmbeddingRecord>> _manifests = new(StringComparer.Ordinal);

    // Output path → source audio written in this run: two songs with one base name must not overwrite each other.
    private readonly Dictionary<string, string> _writtenBy = new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
    private string _outputDirectory = "";

    private bool _warnedNesting;

    private OutputLayout _layout = OutputLayout.Flat;

    // Model folders already shown to be writable in this run.
    private readonly HashSet<string> _probed = new(StringComparer.Ordinal);

    protected override void BeginProcessing()
    {
        _outputDirectory = PathResolution.ResolveFolder(this, OutputDirectory);
        _layout = LayoutSupport.Resolve(this, Layout, RelativeTo);
        // Every command's BeginProcessing runs before any file flows, so an unwritable folder stops the pipeline
        // here: Get-AudioEmbedding upstream has computed nothing yet.
        EnsureWritable(_outputDirectory);
    }

    /// <summary>One terminating error naming the folder and why, instead of one error per file after computing it.</summary>
    private void EnsureWritable(string folder)
    {
        if (WhatIfInEffect() || !_probed.Add(folder)) return;
        try { OutputFolderProbe.EnsureWritable(folder); }
        catch (OutputFolderNotWritableException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.OutputNotWritable, ErrorCategory.WriteError, folder));
        }
    }

    /// <summary>-WhatIf (or $WhatIfPreference) writes nothing, so it must not create folders either.</summary>
    private bool WhatIfInEffect() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) ? ((SwitchParameter)w).IsPresent
        : SessionState.PSVariable.GetValue("WhatIfPreference") is { } pref && LanguagePrimitives.IsTrue(pref);

    /// <summary>The Python scripts' --output_dir included the model folder; ours adds it. Say so once when it doubles.</summary>
    private void WarnIfNested(string modelFolder)
    {
        if (_warnedNesting || !string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(_outputDirectory)), modelFolder, StringComparison.OrdinalIgnoreCase)) return;
        _warnedNesting = true;
        WriteWarning($"-OutputDirectory '{_outputDirectory}' already ends in '{modelFolder}', and Export-EmbeddingNpy adds the model folder itself, so files go to '{Path.Combine(_outputDirectory, modelFolder)}'. Give the parent folder (e.g. output/embeddings) to get the Python pipeline's layout.");
    }

    protected override void ProcessRecord()
    {
        var e = InputObject;
        string modelFolder = string.IsNullOrEmpty(e.ModelFolder) ? e.Model.ToLowerInvariant() : e.ModelFolder;
        WarnIfNested(modelFolder);
        var family = ModuleContext.Catalog.Families.FirstOrDefault(f => string.Equals(f.Name, e.Model, StringComparison.OrdinalIgnoreCase));
        var configuration = EmbeddingConfiguration.Of(e, family); // with its resampling recipe: another recipe, another folder
        string configurationFolder = family is null ? "" : OutputLayout.ConfigurationFolder(family, configuration);
        string modelDir = Path.Combine(_outputDirectory, modelFolder);
        string target;
        try { target = _layout.PathFor(_outputDirectory, modelFolder, e.Path, e.Name, configurationFolder); }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.WriteFailed, ErrorCategory.InvalidArgument, e.Path));
            Emit(e, "", ExportStatus.Failed, ex.Message);
            return;
        }

        if (_writtenBy.TryGetValue(target, out var earlier) && earlier != e.Path)
        {
            var message = $"'{e.Path}' and '{earlier}' have the same song name '{e.Name}', so both map to '{target}'. The first was kept and this one was not written; use -Layout Relative to mirror the library's folders, or rename one of them.";
            WriteError(new ErrorRecord(new IOException(message), ErrorIds.DuplicateSongName, ErrorCategory.ResourceExists, e.Path));
            Emit(e, target, ExportStatus.Failed, message);
            return;
        }
        EnsureWritable(Path.Combine(_outputDirectory, modelFolder)); // once per model folder, before the first write into it
        // -WhatIf says what it would write and emits nothing: no result object stands for a file that was not written.
        if (!ShouldProcess(target, $"Write {e.Model} embedding of '{e.Name}'")) return;
        try
        {
            var (values, shape) = e.ToArray();
            if (!Force && !NoClobber && ConfigurationConflict.Find(target, modelDir, configuration, shape, Manifest(modelDir), family) is { } conflict)
            {
                WriteError(new ErrorRecord(new IOException(conflict), ErrorIds.ConfigurationConflict, ErrorCategory.ResourceExists, target));
                Emit(e, target, ExportStatus.Failed, conflict);
                return;
            }
            bool written = AtomicFileWriter.Write(target, stream => NpyWriter.Write(stream, values, shape), overwrite: !NoClobber);
            _writtenBy[target] = e.Path;
            if (!written)
            {
                WriteVerbose($"'{target}' exists and -NoClobber is set: not overwritten.");
                Emit(e, target, ExportStatus.Skipped, "Exists");
                return;
            }
            WriteVerbose($"Wrote '{target}' ({string.Join("x", shape)} float32).");
            if (IncludeTimes) WriteTimes(e, target);
            RecordInManifest(e, target, shape, modelDir);
            Emit(e, target, ExportStatus.Written, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot write '{target}' for '{e.Path}': {ex.Message}", ex),
                ErrorIds.WriteFailed, ErrorCategory.WriteError, target));
            Emit(e, target, ExportStatus.Failed, ex.Message);
        }
    }

    /// <summary>&lt;song&gt;.times.npy beside the sequence: each row's start in seconds (float64), as the object's FrameTimes.</summary>
    private void WriteTimes(AudioEmbedding e, string target)
    {
        if (e.FrameTimes is not { } times)
        {
            WriteWarning($"'{e.Name}' has no frame times (they come with -Pooling None): no times file was written.");
            return;
        }
        var timesPath = Path.ChangeExtension(target, ".times.npy");
        AtomicFileWriter.Write(timesPath, stream => NpyWriter.WriteFloat64(stream, times), overwrite: true);
        WriteVerbose($"Wrote '{timesPath}' ({times.Length} float64 start times).");
    }

    /// <summary>Appends the embedding's provenance to manifest.jsonl of its model folder (what Get-EmbeddingStatus checks for staleness).</summary>
    private void RecordInManifest(AudioEmbedding e, string target, int[] shape, string modelDir)
    {
        try
        {
            var source = new FileInfo(e.Path);
            var record = new EmbeddingRecord
            {
                Output = EmbeddingManifest.KeyFor(modelDir, target),
                Source = e.Path,
                Size = source.Exists ? source.Length : 0,
                ModifiedUtc = source.Exists ? source.LastWriteTimeUtc : default,
                Model = e.Model,
                Variant = e.Variant,
                Layer = e.Layer,
                Pooling = e.Pooling.ToString(),
                Precision = e.Precision.ToString(),
                DurationSeconds = e.Duration > TimeSpan.Zero ? e.Duration.TotalSeconds : null,
                Resampler = string.IsNullOrEmpty(e.Resampler) ? null : e.Resampler,
                ModuleVersion = typeof(ExportEmbeddingNpyCommand).Assembly.GetName().Version?.ToString() ?? "",
                ModelHash = e.ModelHash,
                WrittenUtc = DateTime.UtcNow,
                Layout = shape.Length == 3 ? AudioEmbedding.LayersFirstLayout : null,
            };
            EmbeddingManifest.Append(modelDir, record);
            Manifest(modelDir)[record.Output] = record;
        }
        catch (IOException ex)
        {
            WriteWarning($"'{target}' was written, but its line in {EmbeddingManifest.FileName} was not: {ex.Message}");
        }
    }

    private Dictionary<string, EmbeddingRecord> Manifest(string modelDir)
    {
        if (!_manifests.TryGetValue(modelDir, out var records))
            _manifests[modelDir] = records = Directory.Exists(modelDir) ? EmbeddingManifest.Load(modelDir) : new Dictionary<string, EmbeddingRecord>();
        return records;
    }

    private void Emit(AudioEmbedding e, string target, ExportStatus status, string? reason)
    {
        if (PassThru)
        {
            if (status == ExportStatus.Written || (status == ExportStatus.Skipped && File.Exists(target))) WriteObject(new FileInfo(target));
            return;
        }
        WriteObject(new ExportResult { Name = e.Name, Path = e.Path, OutputPath = target, Status = status, Reason = reason });
    }
}
