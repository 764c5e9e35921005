using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>How embedding files are named under &lt;OutputDirectory&gt;/&lt;model&gt;/.</summary>
public enum OutputLayoutKind
{
    /// <summary>&lt;song&gt;.npy: the Python pipeline's layout (songs with one base name in two folders collide).</summary>
    Flat,
    /// <summary>&lt;folders below the root&gt;/&lt;song&gt;.npy: the library's folders mirrored, so no two songs collide.</summary>
    Relative,
}

/// <summary>
/// The output layout of a run: flat, or mirroring the audio folders below <see cref="Root"/>; and, for every layout,
/// the one rule that keeps configurations apart: the family's default configuration (default variant, its default
/// layer, mean pooling, float32, the family's own resampler — what the seed pipeline wrote) lives in
/// &lt;OutputDirectory&gt;/&lt;model&gt;/, every other one in
/// &lt;OutputDirectory&gt;/&lt;model&gt;/&lt;variant&gt;.&lt;layer&gt;.&lt;pooling&gt;[.int8][.&lt;resampler&gt;]/ (see
/// <see cref="EmbeddingConfiguration.FolderName"/>). Export, -SkipExisting, Get-EmbeddingStatus, Import, the library
/// search and manifest.jsonl (one per model folder, keys relative to it) all place files through this type.
/// </summary>
public sealed record OutputLayout(OutputLayoutKind Kind, string? Root = null)
{
    public static OutputLayout Flat { get; } = new(OutputLayoutKind.Flat);

    /// <summary>The folder below the model folder for <paramref name="configuration"/>: "" for the family's default.</summary>
    public static string ConfigurationFolder(ModelFamilyInfo family, EmbeddingConfiguration configuration) =>
        configuration.IsDefaultOf(family) ? "" : configuration.FolderName;

    /// <summary>&lt;OutputDirectory&gt;/&lt;model&gt;[/&lt;configuration folder&gt;]: where one configuration's files are.</summary>
    public static string ConfigurationDirectory(string outputDirectory, string modelFolder, string configurationFolder) =>
        configurationFolder.Length == 0 ? Path.Combine(outputDirectory, modelFolder) : Path.Combine(outputDirectory, modelFolder, configurationFolder);

    /// <summary>A folder directly in a model folder that is not a mirrored library folder: a configuration or our cache.</summary>
    public static bool IsReservedFolder(string name) =>
        name == Library.LibraryCache.FolderName || EmbeddingConfiguration.TryParseFolderName(name, out _);

    /// <summary>
    /// The .npy files of one configuration: for the default one, those of the model folder (and, for the relative
    /// layout, of its mirrored library folders) but never those of configuration folders or the cache.
    /// </summary>
    /// <summary>A .npy of ours that holds an embedding: not hidden (the library cache) and not the frame times beside a sequence.</summary>
    public static bool IsEmbeddingFile(string path) =>
        !Path.GetFileName(path).StartsWith('.') && !path.EndsWith(EmbeddingStatusScanner.TimesSuffix, StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<string> EmbeddingFiles(string configurationDirectory, bool isDefaultConfiguration)
    {
        if (!Directory.Exists(configurationDirectory)) return Enumerable.Empty<string>();
        var top = Directory.EnumerateFiles(configurationDirectory, "*.npy", SearchOption.TopDirectoryOnly);
        var below = Directory.EnumerateDirectories(configurationDirectory)
            .Where(d => !(isDefaultConfiguration && IsReservedFolder(Path.GetFileName(d))) && Path.GetFileName(d) != Library.LibraryCache.FolderName)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.npy", SearchOption.AllDirectories));
        return top.Concat(below).Where(IsEmbeddingFile).Select(Path.GetFullPath);
    }

    /// <summary>
    /// Where a .npy file sits in our layout: its model folder (the nearest ancestor named after a family's folder),
    /// the family, and the configuration folder below it ("" for the default configuration).
    /// </summary>
    public static (string ModelDirectory, ModelFamilyInfo? Family, string ConfigurationFolder) Locate(string npyPath, ModelCatalog catalog)
    {
        var full = Path.GetFullPath(npyPath);
        var child = full;
        for (var dir = Path.GetDirectoryName(full); dir != null; child = dir, dir = Path.GetDirectoryName(dir))
        {
            var family = catalog.Families.FirstOrDefault(f => string.Equals(f.Folder, Path.GetFileName(dir), StringComparison.OrdinalIgnoreCase));
            if (family == null) continue;
            var first = Path.GetFileName(child);
            bool inConfiguration = child != full && EmbeddingConfiguration.TryParseFolderName(first, out _);
            return (dir, family, inConfiguration ? first : "");
        }
        return (Path.GetDirectoryName(full) ?? full, null, "");
    }

    /// <summary>Where the embedding of <paramref name="audioPath"/> goes (song name = its base name), in <paramref name="configurationFolder"/>.</summary>
    public string PathFor(string outputDirectory, string modelFolder, string audioPath, string? songName = null, string configurationFolder = "")
    {
        songName ??= Path.GetFileNameWithoutExtension(audioPath);
        if (configurationFolder.Length > 0) modelFolder = Path.Combine(modelFolder, configurationFolder);
        if (Kind == OutputLayoutKind.Flat) return EmbeddingLayout.PathFor(outputDirectory, modelFolder, songName);
        var root = Path.GetFullPath(Root ?? throw new InvalidOperationException("A relative layout needs a root folder."));
        var folder = Path.GetDirectoryName(Path.GetFullPath(audioPath)) ?? root;
        var relative = Path.GetRelativePath(root, folder);
        if (relative == "." ) relative = "";
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{audioPath}' is not below the layout root '{root}': give -RelativeTo a folder that contains it.");
        var safeParts = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Select(EmbeddingLayout.SafeFileName);
        return Path.Combine(new[] { outputDirectory, modelFolder }.Concat(safeParts).Append(EmbeddingLayout.SafeFileName(songName) + ".npy").ToArray());
    }
}
