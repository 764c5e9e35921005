using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>One row of the library table: one song of one model, its provenance and its vector.</summary>
public sealed class EmbeddingTableRow
{
    public string Song { get; init; } = "";
    /// <summary>The song's path below the configuration folder ('/'-separated): what joins one song across models.</summary>
    public string Key { get; init; } = "";
    public string AudioPath { get; init; } = "";
    public string Model { get; init; } = "";
    public string Variant { get; init; } = "";
    public string Layer { get; init; } = "";
    public string Pooling { get; init; } = "";
    public string Precision { get; init; } = "";
    public int Dimension { get; init; }
    public float[] Vector { get; init; } = Array.Empty<float>();
    public string ModuleVersion { get; init; } = "";
    public string ModelHash { get; init; } = "";
}

/// <summary>
/// The table Export-EmbeddingTable writes: every song of every requested model (one configuration each), the vectors
/// as stored (a sequence as the mean of its rows), read file by file so a bad file is a warning, not a lost table.
/// </summary>
public static class EmbeddingTable
{
    public static List<EmbeddingTableRow> Collect(string outputDirectory, ConfigurationResolver.Resolved wanted, List<LibraryIssue> issues)
    {
        var rows = new List<EmbeddingTableRow>();
        var c = wanted.Configuration;
        foreach (var entry in LibraryFiles.List(outputDirectory, wanted, issues))
        {
            var vector = LibraryFiles.ReadVector(entry.EmbeddingPath, wanted, issues);
            if (vector == null) continue;
            rows.Add(new EmbeddingTableRow
            {
                Song = entry.Song,
                Key = entry.Key,
                AudioPath = entry.AudioPath,
                Model = wanted.Family.Name,
                Variant = c.Variant,
                Layer = c.Layer,
                Pooling = c.Pooling.ToString(),
                Precision = c.Precision.ToString(),
                Dimension = vector.Length,
                Vector = vector,
                ModuleVersion = entry.ModuleVersion,
                ModelHash = entry.ModelHash,
            });
        }
        return rows;
    }

    /// <summary>
    /// Songs held by every model (in the first model's order) and, per song, the concatenation of each model's unit
    /// vector scaled by its weight: the matrix an npz of several models holds, as Find-SimilarAudio combines them.
    /// </summary>
    public static (List<EmbeddingTableRow[]> Songs, float[][] Combined) Join(IReadOnlyList<List<EmbeddingTableRow>> perModel, IReadOnlyList<double>? weights)
    {
        var byKey = perModel.Select(rows => rows.GroupBy(r => r.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)).ToArray();
        var songs = new List<EmbeddingTableRow[]>();
        foreach (var first in perModel[0])
        {
            var row = new EmbeddingTableRow[perModel.Count];
            row[0] = first;
            bool everywhere = true;
            for (int m = 1; m < perModel.Count && everywhere; m++) everywhere = byKey[m].TryGetValue(first.Key, out row[m]!);
            if (everywhere) songs.Add(row);
        }
        var combined = songs.Select(parts =>
        {
            var v = new float[parts.Sum(p => p.Dimension)];
            int offset = 0;
            for (int m = 0; m < parts.Length; m++)
            {
                var unit = VectorMath.Normalized(parts[m].Vector);
                float w = (float)(weights is { Count: > 0 } ? weights[m] : 1.0);
                for (int i = 0; i < unit.Length; i++) v[offset + i] = unit[i] * w;
                offset += unit.Length;
            }
            return v;
        }).ToArray();
        return (songs, combined);
    }
}
