using System.Management.Automation;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Writes embeddings as numpy .npy files in the seed pipeline's layout: &lt;OutputDirectory&gt;/&lt;model&gt;/&lt;song&gt;.npy for
/// the default configuration, &lt;model&gt;/&lt;variant&gt;.&lt;layer&gt;.&lt;pooling&gt;[.int8]/&lt;song&gt;.npy for any other (see OutputLayout).
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

    protected override void BeginProcessing()
    {
        _outputDirectory = PathResolution.ResolveFolder(this, OutputDirectory);
        _layout = LayoutSupport.Resolve(this, Layout, RelativeTo);
    }

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
        var configuration = EmbeddingConfiguration.Of(e);
        var family = ModuleContext.Catalog.Families.FirstOrDefault(f => string.Equals(f.Name, e.Model, StringComparison.OrdinalIgnoreCase));
        string configurationFolder = family is null ? "" : OutputLayout.ConfigurationFolder(family, configuration);
        string modelDir = Path.Combine(_outputDirectory, modelFolder);
        string target;
        try { target = _layout.PathFor(_outputDirectory, modelFolder, e.Path, e.Name, configurationFolder); }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.WriteFailed, ErrorCategory.InvalidArgument, e.Path));
            Emit(e, "", "Failed", ex.Message);
            return;
        }

        if (_writtenBy.TryGetValue(target, out var earlier) && earlier != e.Path)
        {
            var message = $"'{e.Path}' and '{earlier}' have the same song name '{e.Name}', so both map to '{target}'. The first was kept and this one was not written; use -Layout Relative to mirror the library's folders, or rename one of them.";
            WriteError(new ErrorRecord(new IOException(message), ErrorIds.DuplicateSongName, ErrorCategory.ResourceExists, e.Path));
            Emit(e, target, "Failed", message);
            return;
        }
        if (!ShouldProcess(target, $"Write {e.Model} embedding of '{e.Name}'"))
        {
            Emit(e, target, "Skipped", "WhatIf");
            return;
        }
        try
        {
            var (values, shape) = e.ToArray();
            if (!Force && !NoClobber && ConfigurationConflict.Find(target, modelDir, configuration, shape, Manifest(modelDir)) is { } conflict)
            {
                WriteError(new ErrorRecord(new IOException(conflict), ErrorIds.ConfigurationConflict, ErrorCategory.ResourceExists, target));
                Emit(e, target, "Failed", conflict);
                return;
            }
            bool written = AtomicFileWriter.Write(target, stream => NpyWriter.Write(stream, values, shape), overwrite: !NoClobber);
            _writtenBy[target] = e.Path;
            if (!written)
            {
                WriteVerbose($"'{target}' exists and -NoClobber is set: not overwritten.");
                Emit(e, target, "Skipped", "Exists");
                return;
            }
            WriteVerbose($"Wrote '{target}' ({string.Join("x", shape)} float32).");
            RecordInManifest(e, target, modelDir);
            Emit(e, target, "Written", null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot write '{target}' for '{e.Path}': {ex.Message}", ex),
                ErrorIds.WriteFailed, ErrorCategory.WriteError, target));
            Emit(e, target, "Failed", ex.Message);
        }
    }

    /// <summary>Appends the embedding's provenance to manifest.jsonl of its model folder (what Get-EmbeddingStatus checks for staleness).</summary>
    private void RecordInManifest(AudioEmbedding e, string target, string modelDir)
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
                ModuleVersion = typeof(ExportEmbeddingNpyCommand).Assembly.GetName().Version?.ToString() ?? "",
                ModelHash = e.ModelHash,
                WrittenUtc = DateTime.UtcNow,
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

    private void Emit(AudioEmbedding e, string target, string status, string? reason)
    {
        if (PassThru)
        {
            if (status == "Written" || (status == "Skipped" && File.Exists(target))) WriteObject(new FileInfo(target));
            return;
        }
        WriteObject(new ExportResult { Name = e.Name, Path = e.Path, OutputPath = target, Status = status, Reason = reason });
    }
}
