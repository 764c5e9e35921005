using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>
/// One model's embeddings of one configuration, as a search sees them: the entries (one per song, in matrix row
/// order), their unit vectors in a memory-mapped matrix kept current by <see cref="LibraryCache"/>, and the files
/// left out with the reason (another configuration per the manifest, another width, unreadable). A library never
/// mixes configurations: it reads only its configuration's folder and drops any file whose manifest line names another.
/// </summary>
public sealed class EmbeddingLibrary : IDisposable
{
    private EmbeddingLibrary(ConfigurationResolver.Resolved wanted, string modelDirectory, string configurationDirectory,
        IReadOnlyList<LibraryEntry> entries, MappedMatrix matrix, IReadOnlyList<LibraryIssue> issues, LibraryCache.Refresh refresh)
    {
        Wanted = wanted; ModelDirectory = modelDirectory; ConfigurationDirectory = configurationDirectory;
        Entries = entries; Matrix = matrix; Issues = issues; CacheRefresh = refresh;
    }

    public ConfigurationResolver.Resolved Wanted { get; }
    public string ModelDirectory { get; }
    /// <summary>The folder the library's files are in (the model folder for the default configuration).</summary>
    public string ConfigurationDirectory { get; }
    public IReadOnlyList<LibraryEntry> Entries { get; }
    public MappedMatrix Matrix { get; }
    public IReadOnlyList<LibraryIssue> Issues { get; }
    /// <summary>What opening did to the cache: reused as is, or rebuilt reading how many files.</summary>
    public LibraryCache.Refresh CacheRefresh { get; }
    public int Dimension => Matrix.Dimension;

    public static EmbeddingLibrary Open(string outputDirectory, ConfigurationResolver.Resolved wanted)
    {
        var modelDir = Path.GetFullPath(Path.Combine(outputDirectory, wanted.Family.Folder));
        var configurationDir = Path.GetFullPath(OutputLayout.ConfigurationDirectory(outputDirectory, wanted.Family.Folder, wanted.Folder));
        var issues = new List<LibraryIssue>();
        var candidates = LibraryFiles.List(outputDirectory, wanted, issues);
        var (entries, matrix, refresh) = LibraryCache.Load(modelDir, wanted, candidates, issues);
        return new EmbeddingLibrary(wanted, modelDir, configurationDir, entries, matrix, issues, refresh);
    }

    public void Dispose() => Matrix.Dispose();
}
