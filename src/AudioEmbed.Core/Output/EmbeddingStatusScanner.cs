namespace AudioEmbed.Core.Output;

/// <summary>Compares a music library with an output folder: which songs have a valid embedding, which lack one.</summary>
public static class EmbeddingStatusScanner
{
    /// <summary>Export-EmbeddingNpy -IncludeTimes writes &lt;song&gt;.times.npy beside &lt;song&gt;.npy: not an embedding.</summary>
    public const string TimesSuffix = ".times.npy";

    public static readonly string[] DefaultAudioExtensions =
        { ".mp3", ".flac", ".wav", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".wma", ".aif", ".aiff", ".aifc" };

    /// <summary>Audio files below the given folders (or the files themselves), by extension, sorted for stable output.</summary>
    public static List<string> FindAudioFiles(IEnumerable<string> roots, bool recurse, IReadOnlyCollection<string>? extensions = null)
    {
        var wanted = new HashSet<string>(extensions ?? DefaultAudioExtensions, StringComparer.OrdinalIgnoreCase);
        var files = new List<string>();
        foreach (var root in roots)
        {
            if (File.Exists(root)) { files.Add(Path.GetFullPath(root)); continue; }
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The audio folder '{root}' does not exist.");
            var option = new EnumerationOptions { RecurseSubdirectories = recurse, IgnoreInaccessible = true, MatchType = MatchType.Simple, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
            files.AddRange(Directory.EnumerateFiles(root, "*", option).Where(f => wanted.Contains(Path.GetExtension(f))).Select(Path.GetFullPath));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static EmbeddingStatusReport Scan(string model, IReadOnlyList<string> audioFiles, string outputDirectory, string modelFolder,
        IReadOnlyCollection<int> validDimensions, OutputLayout? layout = null, Func<EmbeddingRecord, string?>? settingsMismatch = null)
    {
        layout ??= OutputLayout.Flat;
        var modelDir = Path.Combine(outputDirectory, modelFolder);
        var search = layout.Kind == OutputLayoutKind.Relative ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        var npyFiles = Directory.Exists(modelDir)
            ? Directory.EnumerateFiles(modelDir, "*.npy", search).Where(f => !f.EndsWith(TimesSuffix, StringComparison.OrdinalIgnoreCase)) // frame times beside a sequence
                .Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

        var records = Directory.Exists(modelDir) ? EmbeddingManifest.Load(modelDir) : new Dictionary<string, EmbeddingRecord>();
        var stale = new List<string>();
        var missing = new List<string>();
        var invalid = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        int valid = 0;
        foreach (var audio in audioFiles)
        {
            string npy;
            try { npy = Path.GetFullPath(layout.PathFor(outputDirectory, modelFolder, audio)); }
            catch (ArgumentException) { missing.Add(audio); continue; } // outside the layout root: it has no place

            expected.Add(npy);
            if (!npyFiles.Contains(npy)) { missing.Add(audio); continue; }
            if (!IsValid(npy, validDimensions)) { invalid.Add(npy); missing.Add(audio); continue; }
            valid++;
            if (records.TryGetValue(EmbeddingManifest.KeyFor(modelDir, npy), out var record) && IsStale(record, audio, settingsMismatch))
                stale.Add(audio);
        }
        var orphaned = npyFiles.Where(f => !expected.Contains(f)).OrderBy(f => f, StringComparer.Ordinal).ToList();
        return new EmbeddingStatusReport
        {
            Model = model,
            OutputDirectory = Path.GetFullPath(outputDirectory),
            AudioFiles = audioFiles.Count,
            Valid = valid,
            MissingFiles = missing,
            OrphanedFiles = orphaned,
            InvalidFiles = invalid,
            StaleFiles = stale,
        };
    }

    /// <summary>
    /// The audio changed since the embedding was written (size or time), the settings differ from those asked about,
    /// or it is a -Layer All sequence in the older (frames, layers, hidden) layout.
    /// </summary>
    private static bool IsStale(EmbeddingRecord record, string audio, Func<EmbeddingRecord, string?>? settingsMismatch)
    {
        var info = new FileInfo(audio);
        if (record.Size != info.Length || record.ModifiedUtc != info.LastWriteTimeUtc) return true;
        if (IsOlderLayerLayout(record)) return true;
        return settingsMismatch?.Invoke(record) != null;
    }

    /// <summary>A -Layer All -Pooling None file written before the layers got the first axis (its line names no layout).</summary>
    public static bool IsOlderLayerLayout(EmbeddingRecord record) =>
        string.Equals(record.Layer, "all", StringComparison.OrdinalIgnoreCase)
        && string.Equals(record.Pooling, "None", StringComparison.OrdinalIgnoreCase)
        && record.Layout != Pipeline.AudioEmbedding.LayersFirstLayout;

    /// <summary>Readable header, complete data, and a shape the model produces: (dim,), (rows, dim) or, for -Layer All, (layers, rows, width).</summary>
    public static bool IsValid(string npyPath, IReadOnlyCollection<int> validDimensions)
    {
        try
        {
            var (shape, dtype) = NpyReader.ReadShape(npyPath);
            if (!dtype.EndsWith("f4") && !dtype.EndsWith("f8")) return false;
            return shape.Length switch
            {
                1 => validDimensions.Contains(shape[0]),
                2 => shape[0] > 0 && validDimensions.Contains(shape[1]),
                3 => shape[0] > 0 && shape[1] > 0 && validDimensions.Contains(shape[2]),
                _ => false,
            };
        }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return false;
        }
    }
}
