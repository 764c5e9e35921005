using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// The state dict of a MERT checkpoint (torch zip <c>pytorch_model.bin</c> or <c>model.safetensors</c>), read lazily
/// tensor by tensor. Every read names the shape the config implies: a missing key or a different shape is a
/// <see cref="CheckpointException"/> naming the file and key, before any graph is built on a wrong tensor.
/// </summary>
internal sealed class MertWeights
{
    private readonly IReadOnlyDictionary<string, TensorData> _tensors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public MertWeights(string filePath, IReadOnlyDictionary<string, TensorData> tensors)
    {
        FilePath = filePath;
        _tensors = tensors;
    }

    public string FilePath { get; }

    /// <summary>Opens a checkpoint by its format: safetensors by extension, anything else as a torch zip archive.</summary>
    public static MertWeights Open(string path)
    {
        var tensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? SafetensorsReader.Open(path).Tensors
            : TorchCheckpoint.Load(path).StateDict();
        return new MertWeights(path, tensors);
    }

    public bool Has(string key) => _tensors.ContainsKey(key);

    /// <summary>Keys never read by <see cref="Get"/>: extra tensors upstream would also ignore (as HF's non-strict load warns).</summary>
    public IEnumerable<string> UnreadKeys => _tensors.Keys.Where(k => !_read.Contains(k));

    /// <summary>The values of <paramref name="key"/> as float32, after checking its shape is exactly <paramref name="shape"/>.</summary>
    public float[] Get(string key, params long[] shape)
    {
        if (!_tensors.TryGetValue(key, out var t))
            throw new CheckpointException(FilePath, $"the checkpoint has no tensor '{key}' (expected shape [{string.Join(", ", shape)}])", key);
        if (!t.Shape.SequenceEqual(shape))
            throw new CheckpointException(FilePath, $"shape [{string.Join(", ", t.Shape)}] differs from the [{string.Join(", ", shape)}] the config implies", key);
        _read.Add(key);
        return t.ToFloat32();
    }
}
