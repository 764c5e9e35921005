using System.Management.Automation;
using AudioEmbed.Core.Library;
using AudioEmbed.PowerShell.Completers;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// The migration check: two embeddings folders (e.g. the Python pipeline's and ours) compared song by song —
/// cosine and max |Δ| per song, then a summary per model (count, min/median cosine, songs missing on either side).
/// </summary>
[Cmdlet(VerbsData.Compare, "AudioEmbedding")]
[OutputType(typeof(EmbeddingComparison), typeof(EmbeddingComparisonSummary))]
public sealed class CompareAudioEmbeddingCommand : EmbeddingFolderCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string ReferenceDirectory { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    public string DifferenceDirectory { get; set; } = "";


    /// <summary>Emit only the summary per model (not one object per song).</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void EndProcessing()
    {
        var reference = PathResolution.ResolveFolder(this, ReferenceDirectory);
        var difference = PathResolution.ResolveFolder(this, DifferenceDirectory);
        foreach (var (side, dir) in new[] { ("-ReferenceDirectory", reference), ("-DifferenceDirectory", difference) })
            if (!Directory.Exists(dir))
                ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"{side} '{dir}' does not exist."), ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, dir));

        var models = Model is { Length: > 0 } ? Model
            : ModuleContext.Catalog.Families.Where(f => HasModel(reference, f.Folder) && HasModel(difference, f.Folder)).Select(f => f.Name).ToArray();
        if (models.Length == 0)
            ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"No model folder ({string.Join(", ", ModuleContext.Catalog.Families.Select(f => f.Folder))}) is in both '{reference}' and '{difference}'."),
                ErrorIds.LibraryEmpty, ErrorCategory.ObjectNotFound, reference));

        foreach (var wanted in ResolveConfigurations(models))
        {
            var issues = new List<LibraryIssue>();
            List<EmbeddingComparison> songs; EmbeddingComparisonSummary summary;
            try { (songs, summary) = EmbeddingComparer.Compare(reference, difference, wanted, issues); }
            catch (DirectoryNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, wanted.Family.Name));
                continue;
            }
            foreach (var issue in issues) WriteWarning($"{wanted.Family.Name}: {issue}");
            foreach (var song in songs.Where(s => s.Problem != null)) WriteWarning($"{wanted.Family.Name} '{song.Name}': {song.Problem}");
            if (summary.MissingInDifference > 0) WriteWarning($"{wanted.Family.Name}: {summary.MissingInDifference} songs of '{summary.ReferenceDirectory}' are missing in '{summary.DifferenceDirectory}'.");
            if (summary.MissingInReference > 0) WriteWarning($"{wanted.Family.Name}: {summary.MissingInReference} songs of '{summary.DifferenceDirectory}' are missing in '{summary.ReferenceDirectory}'.");
            if (!Summary) foreach (var s in songs) WriteObject(s);
            WriteObject(summary);
        }
    }

    private static bool HasModel(string root, string folder) =>
        Directory.Exists(System.IO.Path.Combine(root, folder)) || string.Equals(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(root)), folder, StringComparison.OrdinalIgnoreCase);
}
