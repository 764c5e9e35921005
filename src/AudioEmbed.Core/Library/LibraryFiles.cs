using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>
/// The embedding files of one model and configuration, as every library command lists and reads them: only that
/// configuration's folder (see <see cref="OutputLayout"/>), minus files whose manifest line names another
/// configuration; each vector checked against the configuration's width.
/// </summary>
public static class LibraryFiles
{
    public static List<LibraryEntry> List(string outputDirectory, ConfigurationResolver.Resolved wanted, List<LibraryIssue> issues)
    {
        var modelDir = Path.GetFullPath(Path.Combine(outputDirectory, wanted.Family.Folder));
        var configurationDir = Path.GetFullPath(OutputLayout.ConfigurationDirectory(outputDirectory, wanted.Family.Folder, wanted.Folder));
        var manifest = Directory.Exists(modelDir) ? EmbeddingManifest.Load(modelDir) : new Dictionary<string, EmbeddingRecord>();
        var entries = new List<LibraryEntry>();
        foreach (var path in OutputLayout.EmbeddingFiles(configurationDir, wanted.IsDefault).OrderBy(p => p, StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            manifest.TryGetValue(EmbeddingManifest.KeyFor(modelDir, path), out var record);
            if (record != null && EmbeddingConfiguration.Of(record, wanted.Family) is { } recorded && !recorded.SameAs(wanted.Configuration))
            {
                issues.Add(new LibraryIssue(path, $"holds an embedding of {recorded} (its line in {EmbeddingManifest.FileName}), not of {wanted.Configuration}: left out"));
                continue;
            }
            var key = Path.GetRelativePath(configurationDir, path).Replace(Path.DirectorySeparatorChar, '/');
            entries.Add(new LibraryEntry(key, Path.GetFileNameWithoutExtension(path), path, info.Length, info.LastWriteTimeUtc.Ticks)
            {
                AudioPath = record?.Source ?? "",
                ModuleVersion = record?.ModuleVersion ?? "",
                ModelHash = record?.ModelHash ?? "",
            });
        }
        return entries;
    }

    /// <summary>
    /// The song's vector as stored (not normalised): a pooled array as it is (flattened with a layers axis), a
    /// sequence as the mean of its rows; or null with the reason added to <paramref name="issues"/>.
    /// </summary>
    public static float[]? ReadVector(string path, ConfigurationResolver.Resolved wanted, List<LibraryIssue> issues)
    {
        try
        {
            var array = NpyReader.Read(path);
            if (array.Count == 0 || array.Shape.Length is < 1 or > 3)
            {
                issues.Add(new LibraryIssue(path, $"holds an array of shape ({string.Join(", ", array.Shape)}), not an embedding: left out"));
                return null;
            }
            var vector = VectorMath.VectorOf(array.ToFloat32(), array.Shape, wanted.Configuration.Pooling == Pipeline.Pooling.None);
            if (vector.Length != wanted.Dimension)
            {
                issues.Add(new LibraryIssue(path, $"has {vector.Length} values per song (shape ({string.Join(", ", array.Shape)})), but {wanted.Family.Name} {wanted.Configuration} gives {wanted.Dimension}: left out"));
                return null;
            }
            if (!vector.All(float.IsFinite))
            {
                issues.Add(new LibraryIssue(path, "holds NaN or infinite values: left out"));
                return null;
            }
            return vector;
        }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException or InvalidDataException)
        {
            issues.Add(new LibraryIssue(path, $"cannot be read ({ex.Message}): left out"));
            return null;
        }
    }
}
