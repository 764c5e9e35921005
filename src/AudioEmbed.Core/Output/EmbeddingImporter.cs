using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>Turns a .npy file written by us (or by the seed pipeline) back into an <see cref="AudioEmbedding"/>.</summary>
public static class EmbeddingImporter
{
    public static AudioEmbedding Import(string npyPath, ModelCatalog catalog)
    {
        var array = NpyReader.Read(npyPath);
        if (array.Shape.Length is not (1 or 2) || array.Count == 0)
            throw new InvalidDataException($"'{npyPath}' holds an array of shape ({string.Join(", ", array.Shape)}); an embedding is (dim,) or (rows, dim).");
        // The model folder is the nearest ancestor named after a family (a configuration folder or mirrored library folders may sit between).
        var (modelDir, family, configurationFolder) = OutputLayout.Locate(npyPath, catalog);
        var folder = family?.Folder ?? System.IO.Path.GetFileName(modelDir);
        EmbeddingConfiguration.TryParseFolderName(configurationFolder, out var configuration);
        var values = array.ToFloat32();
        int dim = array.Shape[^1];
        int rows = array.Shape.Length == 2 ? array.Shape[0] : 1;
        return new AudioEmbedding
        {
            Path = System.IO.Path.GetFullPath(npyPath),
            Name = System.IO.Path.GetFileNameWithoutExtension(npyPath),
            Model = family?.Name ?? folder,
            ModelFolder = folder,
            Dimension = dim,
            Variant = configuration?.Variant ?? "",
            Layer = configuration?.Layer ?? "",
            Precision = configuration?.Precision ?? Onnx.Precision.Float32,
            Pooling = configuration?.Pooling ?? (array.Shape.Length == 2 ? Pooling.None : Pooling.Mean),
            Vector = array.Shape.Length == 2 ? Pooler.Mean(values, rows, dim) : values,
            Sequence = array.Shape.Length == 2 ? Pooler.Split(values, rows, dim) : null,
            Patches = rows,
        };
    }
}
