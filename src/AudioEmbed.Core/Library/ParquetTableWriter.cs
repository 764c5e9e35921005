using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace AudioEmbed.Core.Library;

/// <summary>
/// The library table as Parquet (Parquet.Net), snappy-compressed, one row per song and model. The vector is a
/// Parquet LIST of FLOAT (pyarrow: list&lt;element: float&gt;; DuckDB: FLOAT[]; Spark: array&lt;float&gt;): Parquet has no
/// fixed-size list, so every row's list has the length its `dimension` column states, and readers that want
/// Arrow's fixed_size_list cast to it (pyarrow: .cast(pa.list_(pa.float32(), dim))).
/// </summary>
public static class ParquetTableWriter
{
    /// <summary>The Parquet row: snake_case column names, as pandas, DuckDB and Spark users write them.</summary>
    internal sealed class Row
    {
        [JsonPropertyName("song")] public string Song { get; set; } = "";
        [JsonPropertyName("audio_path")] public string AudioPath { get; set; } = "";
        [JsonPropertyName("model")] public string Model { get; set; } = "";
        [JsonPropertyName("variant")] public string Variant { get; set; } = "";
        [JsonPropertyName("layer")] public string Layer { get; set; } = "";
        [JsonPropertyName("pooling")] public string Pooling { get; set; } = "";
        [JsonPropertyName("precision")] public string Precision { get; set; } = "";
        [JsonPropertyName("dimension")] public int Dimension { get; set; }
        [JsonPropertyName("vector")] public float[] Vector { get; set; } = Array.Empty<float>();
        [JsonPropertyName("module_version")] public string ModuleVersion { get; set; } = "";
        [JsonPropertyName("model_hash")] public string ModelHash { get; set; } = "";
        [JsonPropertyName("embedding_key")] public string Key { get; set; } = "";
    }

    public static void Write(Stream stream, IEnumerable<EmbeddingTableRow> rows)
    {
        var parquetRows = rows.Select(r => new Row
        {
            Song = r.Song, AudioPath = r.AudioPath, Model = r.Model, Variant = r.Variant, Layer = r.Layer, Pooling = r.Pooling,
            Precision = r.Precision, Dimension = r.Dimension, Vector = r.Vector, ModuleVersion = r.ModuleVersion, ModelHash = r.ModelHash, Key = r.Key,
        }).ToList();
        // Parquet.Net is async only; nothing here runs on a synchronization context that could deadlock.
        ParquetSerializer.SerializeAsync(parquetRows, stream).GetAwaiter().GetResult();
    }
}
