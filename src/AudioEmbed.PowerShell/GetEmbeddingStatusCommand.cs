using System.Management.Automation;
using AudioEmbed.Core.Output;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>
/// The seed's --status: per model, how many audio files have a valid embedding and how many are missing,
/// orphaned or invalid. With -Missing, emits one MissingEmbedding per audio file that still needs one (with why),
/// ready to pipe into Get-AudioEmbedding.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EmbeddingStatus")]
[OutputType(typeof(EmbeddingStatusReport), typeof(MissingEmbedding))]
public sealed class GetEmbeddingStatusCommand : EmbeddingFolderCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[] AudioPath { get; set; } = { "audio_files" };

    [Parameter]
    public string OutputDirectory { get; set; } = Path.Combine("output", "embeddings");

    [Parameter]
    public SwitchParameter Recurse { get; set; }

    [Parameter]
    public string[]? Extension { get; set; }

    [Parameter]
    public SwitchParameter Missing { get; set; }

    /// <summary>The model store whose installed custom checkpoints (-Name) tell their embedding sizes.</summary>
    [Parameter]
    public string? ModelPath { get; set; }

    /// <summary>The layout the embeddings were exported with (see Export-EmbeddingNpy -Layout).</summary>
    [Parameter]
    public OutputLayoutKind Layout { get; set; } = OutputLayoutKind.Flat;

    /// <summary>With -Layout Relative: the library root (default: the current location).</summary>
    [Parameter]
    public string? RelativeTo { get; set; }

    /// <summary>"k/n": with -Missing, emit only this machine's share (the counts always cover the whole library).</summary>
    [Parameter]
    [ValidatePattern(@"^\d+/\d+$")]
    public string? Shard { get; set; }

    private readonly List<string> _roots = new();

    protected override void ProcessRecord()
    {
        foreach (var p in AudioPath) _roots.Add(PathResolution.ResolveFolder(this, p));
    }

    protected override void EndProcessing()
    {
        List<string> audio;
        try
        {
            var extensions = Extension?.Select(e => e.StartsWith('.') ? e : "." + e).ToArray();
            audio = EmbeddingStatusScanner.FindAudioFiles(_roots, Recurse, extensions);
        }
        catch (DirectoryNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.AudioFolderNotFound, ErrorCategory.ObjectNotFound, string.Join(", ", _roots)));
            return;
        }
        string output = PathResolution.ResolveFolder(this, OutputDirectory);
        Core.Pipeline.Shard? shard = null;
        try { shard = Shard is null ? null : Core.Pipeline.Shard.Parse(Shard); }
        catch (FormatException ex) { ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidShard, ErrorCategory.InvalidArgument, Shard)); }
        // Without -Model: every catalog model for the counts, but only the models this version can compute for
        // -Missing, so "-Missing | Get-AudioEmbedding" never lists files for a model it cannot run.
        var families = Model is { Length: > 0 }
            ? Model.Select(m => ModuleContext.Catalog.Family(m)).ToList()
            : ModuleContext.Catalog.Families.Where(f => !Missing || f.Available).ToList();
        var missingEmitted = new HashSet<string>(StringComparer.Ordinal);
        var layout = LayoutSupport.Resolve(this, Layout, RelativeTo);
        var store = ModuleContext.Store(ModelPath);
        foreach (var family in families)
        {
            ConfigurationResolver.Resolved wanted;
            try { wanted = ConfigurationResolver.Resolve(ModuleContext.Catalog, store, family.Name, Variant, Layer, Pooling, Precision,
                ResamplerNames.Overrides(Resampler, ResampyVersion)); }
            catch (Core.Store.ModelStoreException ex) when (Model is not { Length: > 0 })
            {
                WriteVerbose($"{family.Name}: skipped ({ex.Message})"); // -Variant/-Layer of another family
                continue;
            }
            catch (Core.Store.ModelStoreException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, family.Name));
                continue;
            }
            // The widths -SkipExisting accepts (a custom checkpoint's come from its installed manifest) and the configuration's own.
            var dims = store.EmbeddingDimensions(family.Name, Variant).Concat(wanted.Dimensions).Distinct().ToArray();
            // A file at the configuration's path whose manifest line names another configuration (written before
            // configuration folders, or with another resampler before the recipe had its own folder) is stale: the
            // embedding asked about is not there. -SkipExisting decides the same (ExistingEmbeddingCheck).
            Func<Core.Output.EmbeddingRecord, string?> mismatch = r =>
                EmbeddingConfiguration.Of(r, family) is { } recorded && !recorded.SameAs(wanted.Configuration) ? recorded.ToString() : null;
            var report = EmbeddingStatusScanner.Scan(family.Name, audio, output, family.Folder, dims, layout, mismatch, wanted.Folder);
            WriteVerbose($"{family.Name} ({wanted.Configuration}): {report.AudioFiles} audio files, {report.Valid} valid ({report.Stale} stale), {report.Missing} missing, {report.Orphaned} orphaned, {report.Invalid} invalid in '{report.EmbeddingDirectory}'.");
            foreach (var bad in report.InvalidFiles) WriteVerbose($"Invalid embedding: '{bad}'");
            if (!Missing) { WriteObject(report); continue; }
            foreach (var pending in report.Pending)
                if ((shard is not { } s || s.Owns(pending.AudioPath)) && missingEmitted.Add(pending.AudioPath))
                    WriteObject(Variant is null ? pending : pending with { Variant = Variant });
        }
    }
}
