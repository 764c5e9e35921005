using PureHDF;
using PureHDF.VOL.Native;

namespace AudioEmbed.Core.Checkpoints;

/// <summary>
/// The weights of a Keras 2 model saved with model.save() as HDF5: datasets live at
/// <c>model_weights/&lt;layer&gt;/&lt;layer&gt;/&lt;name&gt;:0</c>. Converted checkpoints sometimes carry
/// suffixes (<c>kernel_1:0</c>), so a weight is looked up by layer and name prefix, and its shape
/// is always checked against what the architecture expects before it is used.
/// </summary>
internal sealed class KerasH5Checkpoint : IDisposable
{
    private static readonly byte[] Hdf5Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A };
    private readonly NativeFile _file;
    private readonly IH5Group _weights;

    private KerasH5Checkpoint(string path, NativeFile file, IH5Group weights)
    {
        Path = path;
        _file = file;
        _weights = weights;
    }

    public string Path { get; }

    public static KerasH5Checkpoint Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "the file does not exist");
        using (var probe = File.OpenRead(path))
        {
            var head = new byte[8];
            if (probe.Read(head, 0, 8) < 8 || !head.AsSpan().SequenceEqual(Hdf5Signature))
                throw new CheckpointException(path, "not an HDF5 file (a Keras .h5 checkpoint was expected)");
        }
        NativeFile file;
        try { file = H5File.OpenRead(path); }
        catch (Exception ex) { throw new CheckpointException(path, "the HDF5 structure cannot be read: " + ex.Message, inner: ex); }
        try
        {
            bool hasWeights = Guard(path, "model_weights", () => file.LinkExists("model_weights"));
            if (!hasWeights)
                throw new CheckpointException(path, "no 'model_weights' group: this is not a Keras model file saved with model.save()");
            return new KerasH5Checkpoint(path, file, Guard(path, "model_weights", () => (IH5Group)file.Get("model_weights")));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The Keras model_config JSON (root attribute), or null when absent.</summary>
    public string? ModelConfigJson => Guard(Path, "model_config", () =>
        _file.AttributeExists("model_config") ? ReadStringAttribute(_file.Attribute("model_config")) : null);

    public bool HasLayer(string layer) => Guard(Path, layer, () => _weights.LinkExists(layer));

    /// <summary>
    /// Reads the float32 dataset of <paramref name="layer"/> whose name starts with <paramref name="namePrefix"/>
    /// (e.g. "kernel" matches "kernel:0" and "kernel_1:0") and checks that it has <paramref name="expectedShape"/>.
    /// </summary>
    public float[] Weight(string layer, string namePrefix, params long[] expectedShape)
    {
        string key = $"{layer}/{namePrefix}";
        if (!HasLayer(layer)) throw new CheckpointException(Path, "the layer is missing: is this the right model file?", key);
        var dataset = Guard(Path, key, () => FindDataset((IH5Group)_weights.Get(layer), namePrefix))
            ?? throw new CheckpointException(Path, "the weight is missing from the layer", key);
        var dims = Guard(Path, key, () => dataset.Space.Dimensions);
        if (dims.Length != expectedShape.Length || !dims.Select(d => (long)d).SequenceEqual(expectedShape))
            throw new CheckpointException(Path, $"shape is ({string.Join(", ", dims)}), expected ({string.Join(", ", expectedShape)}): this checkpoint is not the expected architecture", key);
        try { return dataset.Read<float[]>(); }
        catch (Exception ex) { throw new CheckpointException(Path, "the weight cannot be read as float32: " + ex.Message, key, ex); }
    }

    private static IH5Dataset? FindDataset(IH5Group group, string namePrefix)
    {
        foreach (var child in group.Children())
        {
            if (child is IH5Dataset ds && MatchesPrefix(ds.Name, namePrefix)) return ds;
            if (child is IH5Group g && FindDataset(g, namePrefix) is { } found) return found;
        }
        return null;
    }

    /// <summary>
    /// Runs a read of the HDF5 structure. PureHDF reports a damaged file (a wrong signature, an address past the end,
    /// a cast that does not hold) with exceptions of its own or of the runtime; they become one CheckpointException
    /// naming the file and the key, like every other checkpoint problem.
    /// </summary>
    private static T Guard<T>(string path, string key, Func<T> read)
    {
        try { return read(); }
        catch (Exception ex) when (ex is not CheckpointException and not OperationCanceledException)
        {
            throw new CheckpointException(path, "the HDF5 structure is damaged or not a Keras checkpoint: " + ex.Message, key, ex);
        }
    }

    /// <summary>"kernel" matches "kernel:0" and "kernel_1:0", but not "kernel_regularizer:0".</summary>
    private static bool MatchesPrefix(string datasetName, string prefix)
    {
        if (!datasetName.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = datasetName.AsSpan(prefix.Length);
        if (rest.StartsWith("_")) { rest = rest[1..]; while (rest.Length > 0 && char.IsAsciiDigit(rest[0])) rest = rest[1..]; }
        return rest.SequenceEqual(":0") || rest.IsEmpty;
    }

    private static string ReadStringAttribute(IH5Attribute attribute)
    {
        try { return attribute.Read<string>(); }
        catch { return string.Concat(attribute.Read<string[]>()); }
    }

    public void Dispose() => _file.Dispose();
}
