using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// Turns a .npy file written by us (or by the seed pipeline) back into an <see cref="AudioEmbedding"/>. What the array
/// cannot say (model, variant, layer, duration, resampler) comes from the manifest.jsonl of its model folder when it has a line
/// for the file; otherwise the model comes from the folder name.
/// </summary>
public sealed class EmbeddingImporter
{
    private readonly ModelCatalog _catalog;
    // Each model folder's manifest is read once per import run, not once per file.
    private readonly Dictionary<string, Dictionary<string, EmbeddingRecord>> _manifests = new(StringComparer.Ordinal);

    public EmbeddingImporter(ModelCatalog catalog) => _catalog = catalog;

    public static AudioEmbedding Import(string npyPath, ModelCatalog catalog) => new EmbeddingImporter(catalog).Read(npyPath);

    public AudioEmbedding Read(string npyPath)
    {
        var array = NpyReader.Read(npyPath);
        if (array.Shape.Length is not (1 or 2 or 3) || array.Count == 0)
            throw new InvalidDataException($"'{npyPath}' holds an array of shape ({string.Join(", ", array.Shape)}); an embedding is (dim,), (rows, dim) or (layers, rows, width).");
        var full = Path.GetFullPath(npyPath);
        var (manifestFolder, record) = FindRecord(full);
        // The model folder is the nearest ancestor named after a family (a configuration folder or mirrored library folders may sit between).
        var (modelDir, folderFamily, configurationFolder) = OutputLayout.Locate(full, _catalog);
        var family = _catalog.Families.FirstOrDefault(f => string.Equals(f.Name, record?.Model, StringComparison.OrdinalIgnoreCase)) ?? folderFamily;
        var modelFolder = family?.Folder ?? (folderFamily == null && record != null ? manifestFolder : Path.GetFileName(modelDir));
        EmbeddingConfiguration.TryParseFolderName(configurationFolder, out var configuration);

        var values = array.ToFloat32();
        int rows, dim, layerCount = 1;
        if (array.Shape.Length == 3)
        {
            // -Layer All -Pooling None. Files written since the layout was recorded are (layers, rows, width), as
            // torch.stack(hidden_states); older ones (rows, layers, width). A row of the object holds every layer side by side.
            bool layersFirst = record == null || record.Layout == AudioEmbedding.LayersFirstLayout;
            layerCount = layersFirst ? array.Shape[0] : array.Shape[1];
            rows = layersFirst ? array.Shape[1] : array.Shape[0];
            int width = array.Shape[2];
            dim = layerCount * width;
            if (layersFirst) values = LayersFirstToRows(values, layerCount, rows, width);
        }
        else
        {
            dim = array.Shape[^1];
            rows = array.Shape.Length == 2 ? array.Shape[0] : 1;
            if (IsLayerMatrix(array.Shape, record)) { layerCount = array.Shape[0]; dim = checked((int)array.Count); rows = 1; }
        }
        bool sequence = rows > 1 || (array.Shape.Length >= 2 && !IsLayerMatrix(array.Shape, record));
        var precision = configuration?.Precision
            ?? (record != null && Enum.TryParse<Onnx.Precision>(record.Precision, true, out var pr) ? pr : Onnx.Precision.Float32);
        return new AudioEmbedding
        {
            Path = full,
            Name = Path.GetFileNameWithoutExtension(npyPath),
            Model = family?.Name ?? modelFolder,
            ModelFolder = modelFolder,
            Variant = record?.Variant ?? configuration?.Variant ?? "",
            Layer = record?.Layer ?? configuration?.Layer ?? "",
            Precision = precision,
            Duration = record?.DurationSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
            LayerCount = layerCount,
            ModelHash = record?.ModelHash ?? "",
            Resampler = record?.Resampler ?? "",
            // The recipe of its configuration: the folder's suffix says it; in an unsuffixed folder the line's recipe
            // (an older export of a non-default recipe there) or, lacking one, the family's own.
            ResamplingRecipe = configuration is { Resampler.Length: > 0 } ? configuration.Resampler
                : record?.Resampler is { Length: > 0 } r && r != Audio.Resampling.ResampleRecipe.NotResampled ? r
                : family != null ? FamilyResampling.DefaultName(family) : "",
            Dimension = dim,
            Pooling = sequence ? Pooling.None
                : record != null && Enum.TryParse<Pooling>(record.Pooling, true, out var p) ? p
                : configuration?.Pooling ?? Pooling.Mean,
            Vector = sequence ? Pooler.Mean(values, rows, dim) : values,
            Sequence = sequence ? Pooler.Split(values, rows, dim) : null,
            Patches = rows,
        };
    }

    /// <summary>(layers, rows, width) → rows of (layers × width): the object's row holds every layer side by side.</summary>
    private static float[] LayersFirstToRows(float[] values, int layers, int rows, int width)
    {
        var flat = new float[values.Length];
        for (int k = 0; k < layers; k++)
            for (int r = 0; r < rows; r++)
                values.AsSpan((k * rows + r) * width, width).CopyTo(flat.AsSpan((r * layers + k) * width, width));
        return flat;
    }

    /// <summary>A pooled -Layer All embedding is (layers, width), not a sequence: the manifest tells them apart.</summary>
    private static bool IsLayerMatrix(int[] shape, EmbeddingRecord? record) =>
        shape.Length == 2 && record != null && string.Equals(record.Layer, "all", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(record.Pooling, nameof(Pooling.None), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The manifest line of the file: in its own folder (flat layout) or in a folder above it (-Layout Relative puts
    /// songs in subfolders of the model folder). Returns the model folder's name and the line, or the parent's name.
    /// </summary>
    private (string ModelFolder, EmbeddingRecord? Record) FindRecord(string npyPath)
    {
        var parent = Path.GetDirectoryName(npyPath) ?? "";
        int depth = 0;
        for (var dir = parent; !string.IsNullOrEmpty(dir) && depth < 64; dir = Path.GetDirectoryName(dir), depth++)
        {
            if (!File.Exists(Path.Combine(dir, EmbeddingManifest.FileName))) continue;
            if (!_manifests.TryGetValue(dir, out var records))
            {
                try { records = EmbeddingManifest.Load(dir); }
                catch (IOException) { records = new(); }
                catch (UnauthorizedAccessException) { records = new(); }
                _manifests[dir] = records;
            }
            if (records.TryGetValue(EmbeddingManifest.KeyFor(dir, npyPath), out var record)) return (Path.GetFileName(dir), record);
        }
        return (Path.GetFileName(parent), null);
    }
}
