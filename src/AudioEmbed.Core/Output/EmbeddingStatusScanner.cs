namespace AudioEmbed.Core.Output;

/// <summary>Compares a music library with an output folder: which songs have a valid embedding, which lack one.</summary>
public static class EmbeddingStatusScanner
{
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

    /// <param name="configurationFolder">The folder of the configuration asked about ("" = the default one, see <see cref="OutputLayout"/>).</param>
    public static EmbeddingStatusReport Scan(string model, IReadOnlyList<string> audioFiles, string outputDirectory, string modelFolder,
        IReadOnlyCollection<int> validDimensions, OutputLayout? layout = null, Func<EmbeddingRecord, string?>? settingsMismatch = null,
        string configurationFolder = "")
    {
        layout ??= OutputLayout.Flat;
        var modelDir = Path.Combine(outputDirectory, modelFolder);
        var configurationDir = OutputLayout.ConfigurationDirectory(outputDirectory, modelFolder, configurationFolder);
        var npyFiles = layout.Kind == OutputLayoutKind.Relative
            ? OutputLayout.EmbeddingFiles(configurationDir, configurationFolder.Length == 0).ToHashSet(StringComparer.Ordinal)
            : Directory.Exists(configurationDir)
                ? Directory.EnumerateFiles(configurationDir, "*.npy", SearchOption.TopDirectoryOnly).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal)
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
            try { npy = Path.GetFullPath(layout.PathFor(outputDirectory, modelFolder, audio, configurationFolder: configurationFolder)); }
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
            EmbeddingDirectory = Path.GetFullPath(configurationDir),
            AudioFiles = audioFiles.Count,
            Valid = valid,
            MissingFiles = missing,
            OrphanedFiles = orphaned,
            InvalidFiles = invalid,
            StaleFiles = stale,
        };
    }

    /// <summary>The audio changed since the embedding was written (size or time), or the settings differ from those asked about.</summary>
    private static bool IsStale(EmbeddingRecord record, string audio, Func<EmbeddingRecord, string?>? settingsMismatch)
    {
        var info = new FileInfo(audio);
        if (record.Size != info.Length || record.ModifiedUtc != info.LastWriteTimeUtc) return true;
        return settingsMismatch?.Invoke(record) != null;
    }

    /// <summary>Readable header, complete data, and a shape the model produces: (dim,) or (rows, dim).</summary>
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
                _ => false,
            };
        }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return false;
        }
    }
}
