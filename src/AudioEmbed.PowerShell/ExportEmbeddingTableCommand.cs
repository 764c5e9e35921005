using System.Management.Automation;
using AudioEmbed.Core.Library;
using AudioEmbed.PowerShell.Completers;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>File formats of Export-EmbeddingTable.</summary>
public enum EmbeddingTableFormat
{
    /// <summary>From the file extension: .npz → Npz, anything else → Parquet.</summary>
    Auto,
    Parquet,
    Npz,
}

/// <summary>What Export-EmbeddingTable wrote.</summary>
public sealed class EmbeddingTableResult
{
    public string Path { get; init; } = "";
    public string Format { get; init; } = "";
    public string[] Models { get; init; } = Array.Empty<string>();
    /// <summary>Parquet: rows (songs × models); Npz: songs (rows of the matrix).</summary>
    public int Rows { get; init; }
    public int Dimension { get; init; }
}

/// <summary>
/// Writes an embeddings folder as one table for other engines: Parquet (one row per song and model) or numpy .npz
/// (names + a songs × dim float32 matrix). The work is in Core/Library.
/// </summary>
[Cmdlet(VerbsData.Export, "EmbeddingTable", SupportsShouldProcess = true)]
[OutputType(typeof(EmbeddingTableResult))]
public sealed class ExportEmbeddingTableCommand : EmbeddingFolderCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    [Parameter]
    public string OutputDirectory { get; set; } = System.IO.Path.Combine("output", "embeddings");


    [Parameter]
    public EmbeddingTableFormat Format { get; set; } = EmbeddingTableFormat.Auto;

    /// <summary>Npz with several models: each model's weight in the concatenated matrix.</summary>
    [Parameter]
    public double[]? Weight { get; set; }

    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    protected override void EndProcessing()
    {
        var output = PathResolution.ResolveFolder(this, OutputDirectory);
        var target = PathResolution.ResolveFolder(this, Path);
        var format = Format != EmbeddingTableFormat.Auto ? Format
            : string.Equals(System.IO.Path.GetExtension(target), ".npz", StringComparison.OrdinalIgnoreCase) ? EmbeddingTableFormat.Npz : EmbeddingTableFormat.Parquet;
        var models = Model is { Length: > 0 } ? Model
            : ModuleContext.Catalog.Families.Where(f => Directory.Exists(System.IO.Path.Combine(output, f.Folder))).Select(f => f.Name).ToArray();
        if (models.Length == 0)
            ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"'{output}' holds no model folder ({string.Join(", ", ModuleContext.Catalog.Families.Select(f => f.Folder))}): nothing to export."),
                ErrorIds.LibraryEmpty, ErrorCategory.ObjectNotFound, output));
        if (Weight is { Length: > 0 } && Weight.Length != models.Length)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Weight has {Weight.Length} values for {models.Length} model(s): give one per -Model."), ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, Weight));

        var perModel = new List<List<EmbeddingTableRow>>();
        foreach (var wanted in ResolveConfigurations(models))
        {
            var issues = new List<LibraryIssue>();
            var rows = EmbeddingTable.Collect(output, wanted, issues);
            foreach (var issue in issues) WriteWarning($"{wanted.Family.Name}: {issue}");
            WriteVerbose($"{wanted.Family.Name} ({wanted.Configuration}): {rows.Count} songs.");
            if (rows.Count == 0)
            {
                WriteError(new ErrorRecord(new InvalidOperationException($"The {wanted.Family.Name} library '{OutputLayout.ConfigurationDirectory(output, wanted.Family.Folder, wanted.Folder)}' ({wanted.Configuration}) holds no usable embedding."),
                    ErrorIds.LibraryEmpty, ErrorCategory.ObjectNotFound, wanted.Family.Name));
                continue;
            }
            perModel.Add(rows);
        }
        if (perModel.Count == 0) return;
        if (NoClobber && File.Exists(target))
        {
            WriteError(new ErrorRecord(new IOException($"'{target}' exists and -NoClobber is set: not overwritten."), ErrorIds.WriteFailed, ErrorCategory.ResourceExists, target));
            return;
        }
        if (!ShouldProcess(target, $"Write a {format} table of {string.Join(", ", perModel.Select(p => p[0].Model))}")) return;

        try
        {
            EmbeddingTableResult result;
            if (format == EmbeddingTableFormat.Parquet)
            {
                var all = perModel.SelectMany(r => r).ToList();
                AtomicFileWriter.Write(target, s => ParquetTableWriter.Write(s, all), overwrite: true);
                result = new EmbeddingTableResult { Path = target, Format = "Parquet", Models = perModel.Select(p => p[0].Model).ToArray(), Rows = all.Count, Dimension = all.Max(r => r.Dimension) };
            }
            else
            {
                var (songs, combined) = EmbeddingTable.Join(perModel, Weight);
                if (perModel.Count > 1)
                {
                    int dropped = perModel.SelectMany(p => p.Select(r => r.Key)).Distinct().Count() - songs.Count;
                    if (dropped > 0) WriteWarning($"{dropped} songs are not in every model's folder and were left out of the npz.");
                }
                // One model: its vectors as stored. Several: the concatenation of unit vectors (what Find-SimilarAudio searches), plus each model's own matrix.
                var vectors = perModel.Count == 1 ? songs.Select(s => s[0].Vector).ToArray() : combined;
                int width = vectors.Length == 0 ? 0 : vectors[0].Length;
                var members = new List<(string, Action<Stream>)>
                {
                    ("names", NpzWriter.Strings(songs.Select(s => s[0].Song).ToList())),
                    ("keys", NpzWriter.Strings(songs.Select(s => s[0].Key).ToList())),
                    ("audio_paths", NpzWriter.Strings(songs.Select(s => s[0].AudioPath).ToList())),
                    ("vectors", NpzWriter.Matrix(vectors, width)),
                };
                if (perModel.Count > 1)
                    for (int m = 0; m < perModel.Count; m++)
                    {
                        int mm = m;
                        var family = ModuleContext.Catalog.Family(perModel[m][0].Model);
                        members.Add((family.Folder, NpzWriter.Matrix(songs.Select(s => s[mm].Vector).ToArray(), perModel[m][0].Dimension)));
                    }
                AtomicFileWriter.Write(target, s => NpzWriter.Write(s, members), overwrite: true);
                result = new EmbeddingTableResult { Path = target, Format = "Npz", Models = perModel.Select(p => p[0].Model).ToArray(), Rows = songs.Count, Dimension = width };
            }
            WriteObject(result);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or InvalidOperationException)
        {
            WriteError(new ErrorRecord(new IOException($"Cannot write '{target}': {ex.Message}", ex), ErrorIds.TableWriteFailed, ErrorCategory.WriteError, target));
        }
    }
}
