using System.Management.Automation;
using AudioEmbed.Core.Library;
using AudioEmbed.PowerShell.Completers;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// The songs of an embeddings folder nearest to a query (an audio file, an AudioEmbedding, or a vector): exact
/// cosine top-N over a memory-mapped matrix cached beside the embeddings. The work is in Core/Library.
/// </summary>
// The embedding set is the default so that a piped AudioEmbedding binds to -InputObject (its own configuration and
// resampler pick the folder searched): with the path set as default, PowerShell bound the object's Path property to
// -Path by property name first, searched the family's default library and recomputed the query. Paths, FileInfo and
// positional arguments still bind to -Path (an object that is not an AudioEmbedding cannot bind to -InputObject).
[Cmdlet(VerbsCommon.Find, "SimilarAudio", DefaultParameterSetName = EmbeddingSet)]
[OutputType(typeof(SimilarAudio))]
public sealed class FindSimilarAudioCommand : EmbeddingFolderCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string EmbeddingSet = "InputObject";
    private const string VectorSet = "Vector";

    /// <summary>Audio files to find neighbours of: their stored embedding when the library has one, else computed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = EmbeddingSet, ValueFromPipeline = true)]
    public AudioEmbedding InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = VectorSet)]
    public float[] Vector { get; set; } = Array.Empty<float>();

    [Parameter]
    public string OutputDirectory { get; set; } = System.IO.Path.Combine("output", "embeddings");


    /// <summary>With several models: each one's weight in the concatenation (default 1 each).</summary>
    [Parameter]
    public double[]? Weight { get; set; }

    [Parameter]
    [ValidateRange(1, 100000)]
    public int Top { get; set; } = 10;

    private readonly Dictionary<string, List<EmbeddingLibrary>> _libraries = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _cancel = new();
    private string _outputDirectory = "";

    protected override void BeginProcessing()
    {
        _outputDirectory = PathResolution.ResolveFolder(this, OutputDirectory);
        if (Weight is { Length: > 0 } && Weight.Length != (Model?.Length ?? 1))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-Weight has {Weight.Length} values for {Model?.Length ?? 1} model(s): give one per -Model."),
                ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, Weight));
        if (Weight?.Any(w => !(w >= 0) || double.IsInfinity(w)) == true || Weight is { Length: > 0 } && Weight.All(w => w == 0))
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Weight values must be finite, not negative, and not all zero."), ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, Weight));
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case VectorSet:
                var libs = Libraries(Model ?? new[] { "MusiCNN" }, null);
                if (libs == null) return;
                if (libs.Count > 1)
                {
                    WriteError(new ErrorRecord(new ArgumentException("-Vector searches one model's library: give a single -Model."), ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, Model));
                    return;
                }
                Search(libs, new[] { Vector }, _ => false, "(vector)");
                break;
            case EmbeddingSet:
                var e = InputObject;
                var models = Model ?? new[] { e.Model };
                // An embedding brings its configuration: the search reads that configuration's folder, never another.
                var own = Model is { Length: > 1 } ? null : e;
                var l = Libraries(models, own);
                if (l == null) return;
                var queries = new List<float[]>();
                foreach (var lib in l)
                {
                    var q = string.Equals(lib.Wanted.Family.Name, e.Model, StringComparison.OrdinalIgnoreCase) && (own != null || EmbeddingConfiguration.Of(e, lib.Wanted.Family).SameAs(lib.Wanted.Configuration))
                        ? e.Vector
                        : QueryVector(lib, e.Path);
                    if (q == null) return;
                    queries.Add(q);
                }
                Search(l, queries, entry => IsSong(entry, e.Path, e.Name), e.Name);
                break;
            default:
                var fileLibraries = Libraries(Model ?? new[] { "MusiCNN" }, null);
                if (fileLibraries == null) return;
                foreach (var file in PathResolution.ResolveFiles(this, Path, literal: false))
                {
                    var qs = new List<float[]>();
                    foreach (var lib in fileLibraries)
                    {
                        var q = QueryVector(lib, file);
                        if (q == null) break;
                        qs.Add(q);
                    }
                    if (qs.Count == fileLibraries.Count)
                        Search(fileLibraries, qs, entry => IsSong(entry, file, System.IO.Path.GetFileNameWithoutExtension(file)), System.IO.Path.GetFileNameWithoutExtension(file));
                }
                break;
        }
    }

    /// <summary>The library entry is the query song: the same audio file (manifest), or the same name when the file has no manifest line.</summary>
    private static bool IsSong(LibraryEntry entry, string audioPath, string name) =>
        entry.AudioPath.Length > 0
            ? string.Equals(System.IO.Path.GetFullPath(entry.AudioPath), System.IO.Path.GetFullPath(audioPath), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
            : string.Equals(entry.Song, name, StringComparison.Ordinal);

    /// <summary>The stored embedding of an audio file (by its manifest source, else its path in the layout), else one computed now.</summary>
    private float[]? QueryVector(EmbeddingLibrary library, string audioPath)
    {
        var full = System.IO.Path.GetFullPath(audioPath);
        var flat = System.IO.Path.GetFullPath(OutputLayout.Flat.PathFor(_outputDirectory, library.Wanted.Family.Folder, full, configurationFolder: library.Wanted.Folder));
        for (int i = 0; i < library.Entries.Count; i++)
        {
            var entry = library.Entries[i];
            if ((entry.AudioPath.Length > 0 && IsSong(entry, full, "")) || (entry.AudioPath.Length == 0 && entry.EmbeddingPath == flat))
            {
                WriteVerbose($"Query '{full}': its stored {library.Wanted.Family.Name} embedding '{entry.EmbeddingPath}'.");
                return library.Matrix.Row(i).ToArray();
            }
        }
        WriteVerbose($"Query '{full}': no stored {library.Wanted.Family.Name} embedding in '{library.ConfigurationDirectory}', computing it.");
        var c = library.Wanted.Configuration;
        // Computed as the library's files were: its configuration's recipe too ("" = the family's own).
        var request = new EmbeddingRequest { Model = library.Wanted.Family.Name, Variant = c.Variant, Layer = c.Layer, Pooling = c.Pooling, Precision = c.Precision,
            Resampler = ResamplerNames.OverridesOf(c.Resampler) };
        try
        {
            var engine = new EmbeddingEngine(ModuleContext.Store(null));
            var model = engine.EnsureInstalled(request, InstallCommandSupport.Progress(this), _cancel.Token, m => InstallCommandSupport.ReportSources(this, m));
            return engine.Embed(full, model, request, _cancel.Token).Vector;
        }
        catch (Core.Audio.AudioDecodeException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.AudioDecodeFailed, ErrorCategory.InvalidData, full));
        }
        catch (Exception ex) when (ex is Core.Store.ModelStoreException or NotSupportedException or InvalidOperationException or IOException)
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"Cannot compute the {library.Wanted.Family.Name} embedding of '{full}': {ex.Message}", ex),
                ErrorIds.EmbeddingFailed, ErrorCategory.NotSpecified, full));
        }
        return null;
    }

    /// <summary>The libraries for these models (opened once per call and configuration); null after an error saying why.</summary>
    private List<EmbeddingLibrary>? Libraries(string[] models, AudioEmbedding? configuredBy)
    {
        // An AudioEmbedding query names its own configuration, resampling recipe included, unless the call names one.
        var resolved = configuredBy != null && !ConfigurationGiven
            ? LibraryOptions.Resolve(this, models, configuredBy.Variant.Length > 0 ? configuredBy.Variant : null, configuredBy.Layer.Length > 0 ? configuredBy.Layer : null, configuredBy.Pooling, configuredBy.Precision,
                ResamplerNames.OverridesOf(configuredBy.ResamplingRecipe))
            : ResolveConfigurations(models);
        var key = string.Join("|", resolved.Select(r => r.Family.Name + "/" + r.Configuration.FolderName));
        if (_libraries.TryGetValue(key, out var cached)) return cached;
        var libraries = new List<EmbeddingLibrary>();
        foreach (var r in resolved)
        {
            var library = LibraryOptions.Open(this, _outputDirectory, r);
            if (library.Entries.Count == 0)
            {
                library.Dispose();
                WriteError(new ErrorRecord(new InvalidOperationException(
                    $"The {r.Family.Name} library '{library.ConfigurationDirectory}' ({r.Configuration}) holds no usable embedding: export some first (Get-AudioEmbedding | Export-EmbeddingNpy -OutputDirectory '{_outputDirectory}')."),
                    ErrorIds.LibraryEmpty, ErrorCategory.ObjectNotFound, library.ConfigurationDirectory));
                libraries.ForEach(x => x.Dispose());
                return null;
            }
            libraries.Add(library);
        }
        _libraries[key] = libraries;
        return libraries;
    }

    private void Search(List<EmbeddingLibrary> libraries, IReadOnlyList<float[]> queries, Func<LibraryEntry, bool> isQuery, string queryName)
    {
        List<SimilarAudio> results;
        try { results = LibrarySearch.Find(libraries, queries, Weight, Top, isQuery, queryName, out int missing); if (missing > 0) WriteWarning($"{missing} songs are not in every model's library and were left out of the combined search."); }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.DimensionMismatch, ErrorCategory.InvalidArgument, queryName));
            return;
        }
        foreach (var r in results) WriteObject(r);
    }

    protected override void EndProcessing() => DisposeLibraries();

    // Ctrl+C arrives on another thread while a query may be scanning the mapped matrices: unmapping them then would
    // crash the process, so stopping only cancels (a model download, a query being computed); the libraries are
    // released by Dispose, which PowerShell calls once the pipeline has stopped.
    protected override void StopProcessing() => _cancel.Cancel();

    public void Dispose()
    {
        DisposeLibraries();
        _cancel.Dispose();
    }

    private void DisposeLibraries()
    {
        foreach (var l in _libraries.Values.SelectMany(x => x)) l.Dispose();
        _libraries.Clear();
    }
}
