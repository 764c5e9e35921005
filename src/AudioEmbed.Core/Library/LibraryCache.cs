using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>
/// The search matrix of one configuration, cached beside the embeddings in &lt;model folder&gt;/.library/:
/// &lt;configuration&gt;.json (the index: one entry per row with the .npy's key, size and modification time, and the
/// matrix files' own names, sizes and times), &lt;configuration&gt;.&lt;build id&gt;.f32 (rows of unit float32 vectors) and
/// &lt;configuration&gt;.&lt;build id&gt;.f16 (the same rows in half precision, with their measured error bound in the
/// index: the <see cref="HalfPrefilter"/> a search scans first).
/// On every open the folder is listed again and each file compared with its index entry: an unchanged file keeps its
/// row (copied from the old matrix), a new or changed one is read, a removed one drops out; a matrix whose size or
/// time differ from what its index recorded is never used. A rebuild writes a new matrix under a new build id and
/// then the index, so a reader holding the old pair (or another process rebuilding) never sees a torn one.
/// </summary>
public static class LibraryCache
{
    public const string FolderName = ".library";
    private const int FormatVersion = 2; // 2: the half-precision prefilter

    /// <summary>What the open did: whether the cache was rewritten, and how many rows were reused or read from .npy files.</summary>
    public sealed record Refresh(bool Rebuilt, int Reused, int Read, string MatrixPath);

    internal sealed class Index
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("configuration")] public string Configuration { get; set; } = "";
        [JsonPropertyName("dimension")] public int Dimension { get; set; }
        [JsonPropertyName("matrix")] public string Matrix { get; set; } = "";
        [JsonPropertyName("matrixBytes")] public long MatrixBytes { get; set; }
        [JsonPropertyName("matrixModifiedTicks")] public long MatrixModifiedTicks { get; set; }
        [JsonPropertyName("prefilter")] public string Prefilter { get; set; } = "";
        [JsonPropertyName("prefilterBytes")] public long PrefilterBytes { get; set; }
        [JsonPropertyName("prefilterModifiedTicks")] public long PrefilterModifiedTicks { get; set; }
        /// <summary>max over rows of ‖float32 row − half row‖₂, measured in double while writing.</summary>
        [JsonPropertyName("prefilterErrorBound")] public double PrefilterErrorBound { get; set; }
        /// <summary>max over rows of ‖float32 row‖₂ (1 for unit rows, give or take rounding).</summary>
        [JsonPropertyName("rowNormBound")] public double RowNormBound { get; set; }
        [JsonPropertyName("entries")] public List<IndexEntry> Entries { get; set; } = new();
    }

    internal sealed class IndexEntry
    {
        [JsonPropertyName("key")] public string Key { get; set; } = "";
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("modifiedTicks")] public long ModifiedTicks { get; set; }
    }

    public static string CacheDirectory(string modelDirectory) => Path.Combine(modelDirectory, FolderName);

    internal static (List<LibraryEntry> Entries, MappedMatrix Matrix, Refresh Refresh) Load(string modelDirectory,
        ConfigurationResolver.Resolved wanted, IReadOnlyList<LibraryEntry> candidates, List<LibraryIssue> issues)
    {
        // Nothing to search (a mistyped folder, a configuration never exported): no cache folder is created.
        if (candidates.Count == 0) return (new List<LibraryEntry>(), MappedMatrix.Empty(wanted.Dimension), new Refresh(false, 0, 0, ""));
        var cacheDir = WritableCacheDirectory(modelDirectory);
        var name = wanted.Configuration.FolderName;
        var indexPath = Path.Combine(cacheDir, name + ".json");
        var old = ReadValidIndex(indexPath, cacheDir, wanted.Dimension);
        var oldRows = new Dictionary<string, (int Row, IndexEntry Entry)>(StringComparer.Ordinal);
        if (old != null)
            for (int i = 0; i < old.Entries.Count; i++) oldRows[old.Entries[i].Key] = (i, old.Entries[i]);

        // Decide each file's row: reused from the old matrix, or read now (and checked) from its .npy. The files to
        // read are read on every core (a first open of a large library is mostly this); what they give is then
        // taken in folder order, so rows and the issues list do not depend on the threads.
        var reuse = candidates.Select(e => oldRows.TryGetValue(e.Key, out var o) && o.Entry.Size == e.Size && o.Entry.ModifiedTicks == e.ModifiedTicks ? o.Row : -1).ToArray();
        var vectors = new float[]?[candidates.Count];
        var readIssues = new List<LibraryIssue>?[candidates.Count];
        Parallel.For(0, candidates.Count, i =>
        {
            if (reuse[i] >= 0) return;
            var found = new List<LibraryIssue>();
            vectors[i] = LibraryFiles.ReadVector(candidates[i].EmbeddingPath, wanted, found);
            if (vectors[i] is { } v) VectorMath.Normalize(v);
            if (found.Count > 0) readIssues[i] = found;
        });
        var accepted = new List<LibraryEntry>();
        var sources = new List<(int OldRow, float[]? Vector)>();
        bool sameAsBefore = old != null && old.Entries.Count == candidates.Count;
        for (int i = 0; i < candidates.Count; i++)
        {
            if (reuse[i] >= 0)
            {
                sameAsBefore &= reuse[i] == accepted.Count;
                accepted.Add(candidates[i]); sources.Add((reuse[i], null));
                continue;
            }
            sameAsBefore = false;
            if (readIssues[i] is { } found) issues.AddRange(found);
            if (vectors[i] is not { } vector) continue;
            accepted.Add(candidates[i]); sources.Add((-1, vector));
        }

        if (sameAsBefore && old != null)
            return (accepted, Open(cacheDir, old), new Refresh(false, accepted.Count, 0, Path.Combine(cacheDir, old.Matrix)));

        var buildId = Guid.NewGuid().ToString("N");
        var matrixName = $"{name}.{buildId}.f32";
        var prefilterName = $"{name}.{buildId}.f16";
        var matrixPath = Path.Combine(cacheDir, matrixName);
        var prefilterPath = Path.Combine(cacheDir, prefilterName);
        var (errorBound, normBound) = WriteMatrices(matrixPath, prefilterPath, old == null ? null : Path.Combine(cacheDir, old.Matrix), wanted.Dimension, sources);
        var written = new FileInfo(matrixPath);
        var writtenHalf = new FileInfo(prefilterPath);
        var index = new Index
        {
            Version = FormatVersion,
            Configuration = name,
            Dimension = wanted.Dimension,
            Matrix = matrixName,
            MatrixBytes = written.Length,
            MatrixModifiedTicks = written.LastWriteTimeUtc.Ticks,
            Prefilter = prefilterName,
            PrefilterBytes = writtenHalf.Length,
            PrefilterModifiedTicks = writtenHalf.LastWriteTimeUtc.Ticks,
            PrefilterErrorBound = errorBound,
            RowNormBound = normBound,
            Entries = accepted.Select(e => new IndexEntry { Key = e.Key, Size = e.Size, ModifiedTicks = e.ModifiedTicks }).ToList(),
        };
        AtomicFileWriter.Write(indexPath, s => JsonSerializer.Serialize(s, index), overwrite: true);
        // Older matrices of this configuration are garbage now (on Windows one still mapped by a reader stays until next time).
        foreach (var stale in Directory.EnumerateFiles(cacheDir, name + ".*.f*")
                     .Where(f => (f.EndsWith(".f32", StringComparison.Ordinal) || f.EndsWith(".f16", StringComparison.Ordinal))
                                 && Path.GetFileName(f) != matrixName && Path.GetFileName(f) != prefilterName))
        {
            try { File.Delete(stale); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        int read = sources.Count(s => s.Vector != null);
        return (accepted, Open(cacheDir, index), new Refresh(true, accepted.Count - read, read, matrixPath));
    }

    private static MappedMatrix Open(string cacheDir, Index index)
    {
        var prefilter = new HalfPrefilter(Path.Combine(cacheDir, index.Prefilter), index.Entries.Count, index.Dimension, index.PrefilterErrorBound, index.RowNormBound);
        try { return new MappedMatrix(Path.Combine(cacheDir, index.Matrix), index.Entries.Count, index.Dimension, prefilter); }
        catch { prefilter.Dispose(); throw; }
    }

    /// <summary>.library beside the embeddings; a library on a read-only share gets its cache in the temp folder instead.</summary>
    private static string WritableCacheDirectory(string modelDirectory)
    {
        var dir = CacheDirectory(modelDirectory);
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
            return dir;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(modelDirectory))))[..16];
            var fallback = Path.Combine(Path.GetTempPath(), "audioembed-library", hash);
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }

    /// <summary>The index, if it and the matrix it names agree (version, width, the matrix's size and time); else null (rebuild).</summary>
    private static Index? ReadValidIndex(string indexPath, string cacheDir, int dimension)
    {
        try
        {
            if (!File.Exists(indexPath)) return null;
            using var stream = File.OpenRead(indexPath);
            var index = JsonSerializer.Deserialize<Index>(stream);
            if (index == null || index.Version != FormatVersion || index.Dimension != dimension || !IsPlainName(index.Matrix) || !IsPlainName(index.Prefilter)
                || !(index.PrefilterErrorBound >= 0 && index.PrefilterErrorBound < 1) || !(index.RowNormBound >= 0 && index.RowNormBound < 2)) return null;
            var matrix = new FileInfo(Path.Combine(cacheDir, index.Matrix));
            if (!matrix.Exists || matrix.Length != index.MatrixBytes || matrix.LastWriteTimeUtc.Ticks != index.MatrixModifiedTicks
                || matrix.Length != (long)index.Entries.Count * dimension * sizeof(float)) return null;
            var prefilter = new FileInfo(Path.Combine(cacheDir, index.Prefilter));
            if (!prefilter.Exists || prefilter.Length != index.PrefilterBytes || prefilter.LastWriteTimeUtc.Ticks != index.PrefilterModifiedTicks
                || prefilter.Length != (long)index.Entries.Count * dimension * sizeof(ushort)) return null;
            return index;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private static bool IsPlainName(string name) => name.Length > 0 && !name.Contains('/') && !name.Contains('\\');

    /// <summary>
    /// Writes the float32 matrix and its half-precision copy in one pass (new rows from their vectors, unchanged ones
    /// copied from the old matrix) and returns the largest row error of the half copy and the largest row norm.
    /// </summary>
    private static (double ErrorBound, double NormBound) WriteMatrices(string path, string halfPath, string? oldMatrix, int dimension, List<(int OldRow, float[]? Vector)> rows)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.tmp");
        var halfTemp = Path.Combine(Path.GetDirectoryName(halfPath)!, $".{Path.GetFileName(halfPath)}.tmp");
        double errorBound, normBound;
        try
        {
            using (var writer = new MatrixWriter(temp, halfTemp, dimension))
            using (var source = oldMatrix != null && rows.Any(r => r.Vector == null) ? File.OpenHandle(oldMatrix) : null)
            {
                var row = new byte[dimension * sizeof(float)];
                var values = new float[dimension];
                foreach (var (oldRow, vector) in rows)
                {
                    if (vector != null)
                    {
                        writer.Append(vector);
                        continue;
                    }
                    int got = RandomAccess.Read(source!, row, (long)oldRow * row.Length);
                    if (got != row.Length) throw new IOException($"'{oldMatrix}' ended early while its rows were copied.");
                    for (int i = 0; i < dimension; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(row.AsSpan(4 * i));
                    writer.Append(values);
                }
                (errorBound, normBound) = (writer.ErrorBound, writer.NormBound);
            }
            File.Move(halfTemp, halfPath, overwrite: true);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            if (File.Exists(halfTemp)) File.Delete(halfTemp);
        }
        return (errorBound, normBound);
    }
}
