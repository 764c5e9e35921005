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
                ? Directory.EnumerateFiles(configurationDir, "*.npy", SearchOption.TopDirectoryOnly).Where(OutputLayout.IsEmbeddingFile)
                    .Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);

        var records = Directory.Exists(modelDir) ? EmbeddingManifest.Load(modelDir) : new Dictionary<string, EmbeddingRecord>();
        var stale = new List<string>();
        var missing = new List<string>();
        var pending = new List<MissingEmbedding>();
        MissingEmbedding Entry(string audio, string npy, MissingReason reason, string detail) => new()
        {
            Name = Path.GetFileNameWithoutExtension(audio), AudioPath = audio, Model = model, Reason = reason, Detail = detail, EmbeddingPath = npy,
        };
        var invalid = new List<string>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        int valid = 0;
        foreach (var audio in audioFiles)
        {
            string npy;
            try { npy = Path.GetFullPath(layout.PathFor(outputDirectory, modelFolder, audio, configurationFolder: configurationFolder)); }
            catch (ArgumentException ex) // outside the layout root: it has no place
            {
                missing.Add(audio);
                pending.Add(Entry(audio, "", MissingReason.NotComputed, ex.Message));
                continue;
            }

            expected.Add(npy);
            if (!npyFiles.Contains(npy)) { missing.Add(audio); pending.Add(Entry(audio, npy, MissingReason.NotComputed, "no embedding yet")); continue; }
            if (!IsValid(npy, validDimensions))
            {
                invalid.Add(npy);
                missing.Add(audio);
                pending.Add(Entry(audio, npy, MissingReason.Invalid, $"'{npy}' is unreadable, truncated or of a shape {model} does not produce"));
                continue;
            }
            valid++;
            if (records.TryGetValue(EmbeddingManifest.KeyFor(modelDir, npy), out var record) && StaleReason(record, audio, settingsMismatch) is { } why)
            {
                stale.Add(audio);
                pending.Add(Entry(audio, npy, why.Reason, why.Detail));
            }
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
            Pending = pending,
        };
    }

    /// <summary>
    /// The audio changed since the embedding was written (size or time), the settings differ from those asked about,
    /// or it is a -Layer All sequence in the older (frames, layers, hidden) layout.
    /// </summary>
    private static (MissingReason Reason, string Detail)? StaleReason(EmbeddingRecord record, string audio, Func<EmbeddingRecord, string?>? settingsMismatch)
    {
        var info = new FileInfo(audio);
        if (record.Size != info.Length || record.ModifiedUtc != info.LastWriteTimeUtc)
            return (MissingReason.AudioChanged, $"the audio changed since {record.WrittenUtc:u}");
        if (IsOlderLayerLayout(record))
            return (MissingReason.OlderLayout, "a -Layer All -Pooling None file in the older (frames, layers, hidden) layout");
        return settingsMismatch?.Invoke(record) is { } other ? (MissingReason.OtherSettings, $"written with another configuration: {other}") : null;
    }

    /// <summary>A -Layer All -Pooling None file written before the layers got the first axis (its line names no layout).</summary>
    public static bool IsOlderLayerLayout(EmbeddingRecord record) =>
        string.Equals(record.Layer, "all", StringComparison.OrdinalIgnoreCase)
        && string.Equals(record.Pooling, "None", StringComparison.OrdinalIgnoreCase)
        && record.Layout != Pipeline.AudioEmbedding.LayersFirstLayout;

    /// <summary>
    /// Readable header, complete data, and a shape the model produces: (dim,), (rows, dim), or with -Layer All
    /// -Pooling None (layers, rows, width), where a layer's width is one of the dimensions too.
    /// </summary>
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
