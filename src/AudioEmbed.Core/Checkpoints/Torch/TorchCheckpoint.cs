using System.Text;

namespace AudioEmbed.Core.Checkpoints.Torch;

/// <summary>
/// A checkpoint written by torch.save (torch ≥ 1.6 zip format): <c>&lt;top&gt;/data.pkl</c> (the pickled
/// object), <c>&lt;top&gt;/data/&lt;key&gt;</c> (one record per storage) and <c>&lt;top&gt;/version</c>; the top
/// folder name varies ("archive", "model", "pytorch_model", …). The pickle is interpreted by a
/// restricted unpickler that builds plain data only (see <see cref="RestrictedUnpickler"/>);
/// tensors are <see cref="TensorData"/> whose values are read lazily from the storage records.
/// </summary>
public sealed class TorchCheckpoint
{
    private const long MaxPickleBytes = 64L * 1024 * 1024; // real ones are tens of KB

    private static readonly string[] StateDictKeys = { "state_dict", "model", "model_state_dict", "module", "net", "weights" };

    private TorchCheckpoint(string path, string archiveName, object? root)
    {
        FilePath = path;
        ArchiveName = archiveName;
        Root = root;
    }

    public string FilePath { get; }

    /// <summary>The top folder of the archive (e.g. "archive").</summary>
    public string ArchiveName { get; }

    /// <summary>
    /// The unpickled object as plain data: Dictionary&lt;string, object?&gt; (dict/OrderedDict, insertion
    /// order kept), List&lt;object?&gt;, object?[] (tuple), string, byte[], long, double, bool, null, TensorData.
    /// </summary>
    public object? Root { get; }

    public static TorchCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "the file does not exist");
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            CheckSignature(path, handle);
            var zip = ZipDirectory.Read(path, handle);
            var pickles = zip.Names.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length).ToList();
            if (pickles.Count == 0) throw new CheckpointException(path, "no <top>/data.pkl record: not a torch.save archive");
            if (pickles.Count > 1) throw new CheckpointException(path, $"several data.pkl records ({string.Join(", ", pickles)})");
            string prefix = pickles[0][..^"data.pkl".Length];

            if (zip.Find(prefix + "byteorder") is { } order)
            {
                string text = Encoding.ASCII.GetString(zip.ReadAll(order, 16)).Trim();
                if (text != "little") throw new CheckpointException(path, $"byte order '{text}' is not supported (little is)", order.Name);
            }
            var pickleMember = zip.Find(pickles[0])!;
            byte[] pickle = zip.ReadAll(pickleMember, MaxPickleBytes);
            var resolver = new TorchPickleResolver(path, zip, prefix);
            object? root = new RestrictedUnpickler(path, pickleMember.Name, pickle, resolver).Load();
            return new TorchCheckpoint(path, prefix.TrimEnd('/'), root);
        }
        catch (IOException ex)
        {
            throw new CheckpointException(path, "cannot read the file: " + ex.Message, inner: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CheckpointException(path, "cannot read the file: " + ex.Message, inner: ex);
        }
    }

    /// <summary>
    /// The tensors of the state dict, each named by its key: <paramref name="key"/>'s value when given,
    /// otherwise the root if it is a dict of tensors, else the first of root['state_dict'], ['model'],
    /// ['model_state_dict'], ['module'], ['net'], ['weights'] that is one.
    /// </summary>
    public IReadOnlyDictionary<string, TensorData> StateDict(string? key = null)
    {
        if (key is not null)
        {
            if (Root is not Dictionary<string, object?> root || !root.TryGetValue(key, out var value))
                throw new CheckpointException(FilePath, "the checkpoint has no such top-level entry", key);
            return AsTensorDict(value, key) ?? throw new CheckpointException(FilePath, "the entry is not a dict of tensors", key);
        }
        if (AsTensorDict(Root, null) is { } direct) return direct;
        if (Root is Dictionary<string, object?> top)
            foreach (var candidate in StateDictKeys)
                if (top.TryGetValue(candidate, out var value) && AsTensorDict(value, candidate) is { } found)
                    return found;
        string keys = Root is Dictionary<string, object?> d ? string.Join(", ", d.Keys.Take(20)) : RestrictedUnpickler.Describe(Root);
        throw new CheckpointException(FilePath, $"no dict of tensors at the root or under {string.Join("/", StateDictKeys)} (root: {keys})");
    }

    private Dictionary<string, TensorData>? AsTensorDict(object? value, string? key)
    {
        if (value is not Dictionary<string, object?> dict || dict.Count == 0) return null;
        var result = new Dictionary<string, TensorData>(dict.Count, StringComparer.Ordinal);
        foreach (var (name, item) in dict)
        {
            if (item is not TensorData tensor)
            {
                if (key is null) return null;
                throw new CheckpointException(FilePath, $"'{name}' is a {RestrictedUnpickler.Describe(item)}, not a tensor", key);
            }
            result[name] = tensor.WithName(name);
        }
        return result;
    }

    private static void CheckSignature(string path, Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        Span<byte> head = stackalloc byte[4];
        int n = RandomAccess.Read(handle, head, 0);
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return;
        if (n >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw new CheckpointException(path, "legacy torch format not supported; re-save with torch>=1.6 (the zip format)");
        if (n >= 1 && head[0] == (byte)'{')
            throw new CheckpointException(path, "this looks like JSON, not a torch checkpoint");
        throw new CheckpointException(path, "not a torch zip checkpoint (no 'PK' zip signature)");
    }
}
