using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>
/// Compares two embeddings folders of one model and configuration song by song (paired on their path below the
/// configuration folder): the migration check that shows switching from the Python pipeline leaves a recommender's
/// inputs unchanged. Each side may be an output folder holding &lt;model&gt;/ or the model folder itself.
/// </summary>
public static class EmbeddingComparer
{
    /// <summary>The output folder for a side: <paramref name="root"/> if it holds the model folder, its parent if it is the model folder.</summary>
    public static string OutputDirectoryOf(string root, ConfigurationResolver.Resolved wanted)
    {
        var full = Path.GetFullPath(root);
        if (Directory.Exists(Path.Combine(full, wanted.Family.Folder))) return full;
        if (string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(full)), wanted.Family.Folder, StringComparison.OrdinalIgnoreCase) && Directory.Exists(full))
            return Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full))!;
        throw new DirectoryNotFoundException($"'{full}' holds no '{wanted.Family.Folder}' folder and is not one: give the folder that holds {wanted.Family.Name}'s embeddings (or its parent).");
    }

    public static (List<EmbeddingComparison> Songs, EmbeddingComparisonSummary Summary) Compare(string referenceRoot, string differenceRoot,
        ConfigurationResolver.Resolved wanted, List<LibraryIssue> issues)
    {
        var referenceOut = OutputDirectoryOf(referenceRoot, wanted);
        var differenceOut = OutputDirectoryOf(differenceRoot, wanted);
        var reference = LibraryFiles.List(referenceOut, wanted, issues).ToDictionary(e => e.Key, StringComparer.Ordinal);
        var difference = LibraryFiles.List(differenceOut, wanted, issues).ToDictionary(e => e.Key, StringComparer.Ordinal);
        var songs = new List<EmbeddingComparison>();
        foreach (var (key, old) in reference.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!difference.TryGetValue(key, out var @new)) continue;
            songs.Add(ComparePair(key, old, @new, wanted.Family.Name));
        }
        var same = songs.Where(s => s.Status == "Same").ToList();
        var cosines = same.Select(s => s.Cosine).Order().ToArray();
        var worst = same.OrderBy(s => s.Cosine).FirstOrDefault();
        var summary = new EmbeddingComparisonSummary
        {
            Model = wanted.Family.Name,
            Configuration = wanted.Configuration.ToString(),
            ReferenceDirectory = OutputLayout.ConfigurationDirectory(referenceOut, wanted.Family.Folder, wanted.Folder),
            DifferenceDirectory = OutputLayout.ConfigurationDirectory(differenceOut, wanted.Family.Folder, wanted.Folder),
            Compared = same.Count,
            MinCosine = cosines.Length > 0 ? cosines[0] : double.NaN,
            MedianCosine = cosines.Length == 0 ? double.NaN : cosines.Length % 2 == 1 ? cosines[cosines.Length / 2] : (cosines[cosines.Length / 2 - 1] + cosines[cosines.Length / 2]) / 2,
            MaxAbsDifference = same.Count > 0 ? same.Max(s => s.MaxAbsDifference) : double.NaN,
            WorstSong = worst?.Name ?? "",
            ShapeMismatches = songs.Count(s => s.Status == "ShapeMismatch"),
            Unreadable = songs.Count(s => s.Status == "Unreadable"),
            MissingInReferenceSongs = difference.Keys.Where(k => !reference.ContainsKey(k)).Order(StringComparer.Ordinal).ToList(),
            MissingInDifferenceSongs = reference.Keys.Where(k => !difference.ContainsKey(k)).Order(StringComparer.Ordinal).ToList(),
        };
        return (songs, summary);
    }

    private static EmbeddingComparison ComparePair(string key, LibraryEntry old, LibraryEntry @new, string model)
    {
        NpyArray a, b;
        try { a = NpyReader.Read(old.EmbeddingPath); }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return Unreadable(key, old, @new, model, $"'{old.EmbeddingPath}' cannot be read: {ex.Message}");
        }
        try { b = NpyReader.Read(@new.EmbeddingPath); }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return Unreadable(key, old, @new, model, $"'{@new.EmbeddingPath}' cannot be read: {ex.Message}");
        }
        string sa = Shape(a.Shape), sb = Shape(b.Shape);
        if (!a.Shape.SequenceEqual(b.Shape))
            return new EmbeddingComparison
            {
                Name = old.Song, Key = key, Model = model, Status = "ShapeMismatch", ReferenceShape = sa, DifferenceShape = sb,
                ReferencePath = old.EmbeddingPath, DifferencePath = @new.EmbeddingPath,
                Problem = $"'{old.EmbeddingPath}' is {sa} but '{@new.EmbeddingPath}' is {sb}",
            };
        double ab = 0, aa = 0, bb = 0, maxAbs = 0;
        var x = a.Values; var y = b.Values;
        for (long i = 0; i < x.LongLength; i++)
        {
            ab += x[i] * y[i]; aa += x[i] * x[i]; bb += y[i] * y[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(x[i] - y[i]));
        }
        // Two zero vectors are the same embedding; one zero and one not share no direction.
        double cosine = aa == 0 && bb == 0 ? 1 : aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
        return new EmbeddingComparison
        {
            Name = old.Song, Key = key, Model = model, Status = "Same", Cosine = cosine, MaxAbsDifference = maxAbs,
            ReferenceShape = sa, DifferenceShape = sb, ReferencePath = old.EmbeddingPath, DifferencePath = @new.EmbeddingPath,
        };
    }

    private static EmbeddingComparison Unreadable(string key, LibraryEntry old, LibraryEntry @new, string model, string problem) => new()
    {
        Name = old.Song, Key = key, Model = model, Status = "Unreadable", ReferencePath = old.EmbeddingPath, DifferencePath = @new.EmbeddingPath, Problem = problem,
    };

    private static string Shape(int[] shape) => "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
}
