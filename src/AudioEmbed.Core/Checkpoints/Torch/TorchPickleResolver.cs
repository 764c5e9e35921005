using System.Collections.Immutable;

namespace AudioEmbed.Core.Checkpoints.Torch;

/// <summary>
/// The allowlist for torch.save pickles of state dicts: OrderedDict, the tensor/parameter rebuild
/// functions and the typed storage classes (only as persistent-id storage types). Everything else
/// — os.system, builtins.eval, getattr, subprocess, torch.storage._load_from_bytes, … — is refused.
/// Storages are the archive's <c>data/&lt;key&gt;</c> members, shared by every tensor that views them.
/// </summary>
internal sealed class TorchPickleResolver : IPickleResolver
{
    private const int MaxRank = 32;

    private static readonly Dictionary<string, string> StorageDTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = TensorDTypes.F32,
        ["HalfStorage"] = TensorDTypes.F16,
        ["BFloat16Storage"] = TensorDTypes.BF16,
        ["DoubleStorage"] = TensorDTypes.F64,
        ["LongStorage"] = TensorDTypes.I64,
        ["IntStorage"] = TensorDTypes.I32,
        ["ShortStorage"] = TensorDTypes.I16,
        ["CharStorage"] = TensorDTypes.I8,
        ["ByteStorage"] = TensorDTypes.U8,
        ["BoolStorage"] = TensorDTypes.Bool,
    };

    private static readonly HashSet<string> Callables = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
    };

    private readonly string _path;
    private readonly ZipDirectory _zip;
    private readonly string _prefix;
    private readonly Dictionary<string, TorchStorage> _storages = new(StringComparer.Ordinal);

    public TorchPickleResolver(string path, ZipDirectory zip, string prefix)
    {
        _path = path;
        _zip = zip;
        _prefix = prefix;
    }

    public PickleGlobal? ResolveGlobal(string module, string name)
    {
        if (module == "torch" && StorageDTypes.ContainsKey(name)) return new PickleGlobal(module, name);
        return Callables.Contains(module + "." + name) ? new PickleGlobal(module, name) : null;
    }

    public object? Call(PickleGlobal callable, object?[] args)
    {
        switch (callable.FullName)
        {
            case "collections.OrderedDict":
                if (args.Length != 0) throw Fail($"OrderedDict called with {args.Length} arguments (a state dict has none)");
                return new Dictionary<string, object?>(StringComparer.Ordinal);
            case "torch._utils._rebuild_tensor_v2":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.Length is < 6 or > 7) throw Fail($"_rebuild_tensor_v2 needs 6 or 7 arguments, got {args.Length}");
                return RebuildTensor(args);
            case "torch._utils._rebuild_tensor":
                if (args.Length != 4) throw Fail($"_rebuild_tensor needs 4 arguments, got {args.Length}");
                return RebuildTensor(args);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                // (data, requires_grad, backward_hooks[, state]): the parameter is its data tensor.
                if (args.Length is < 3 or > 4 || args[0] is not TensorData data)
                    throw Fail($"{callable.Name} needs a tensor and 2–3 more arguments");
                return data;
            default:
                throw Fail($"refuses to call pickle global '{callable.FullName}'");
        }
    }

    public void Build(object? target, object? state)
    {
        // OrderedDict state dicts carry attributes such as _metadata (per-module versions); they are
        // not items, and the converters do not need them, so the state is checked and dropped.
        if (target is Dictionary<string, object?> && state is null or Dictionary<string, object?> or object?[])
            return;
        if (target is TensorData && state is null or Dictionary<string, object?> or object?[])
            return; // tensor attributes (e.g. from _rebuild_parameter_with_state) carry no values
        throw Fail($"BUILD of a {RestrictedUnpickler.Describe(state)} on a {RestrictedUnpickler.Describe(target)} is not allowed");
    }

    public object PersistentLoad(object? pid)
    {
        // ('storage', storage_type, key, location, numel)
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage")
            throw Fail($"persistent id {RestrictedUnpickler.Describe(pid)} is not a ('storage', type, key, location, numel) tuple");
        if (t[1] is not PickleGlobal { Module: "torch" } type || !StorageDTypes.TryGetValue(type.Name, out var dtype))
            throw Fail($"persistent id storage type {RestrictedUnpickler.Describe(t[1])} is not a torch typed storage");
        if (t[2] is not string key) throw Fail("persistent id key is not a string");
        if (t[3] is not string) throw Fail("persistent id location is not a string", key);
        if (t[4] is not long numel || numel < 0) throw Fail("persistent id element count is not a non-negative int", key);

        if (_storages.TryGetValue(key, out var existing))
        {
            if (existing.DType != dtype || existing.ElementCount != numel)
                throw Fail($"storage is referenced as {dtype}[{numel}] and as {existing.DType}[{existing.ElementCount}]", key);
            return existing;
        }
        string memberName = _prefix + "data/" + key;
        var member = _zip.Find(memberName) ?? throw Fail($"the storage record '{memberName}' is missing from the archive", key);
        long expectedBytes;
        try { expectedBytes = checked(numel * TensorDTypes.ItemSize(dtype)); }
        catch (OverflowException) { throw Fail($"storage of {numel} elements overflows", key); }
        if (member.UncompressedSize != expectedBytes)
            throw Fail($"storage record holds {member.UncompressedSize} bytes, {dtype}[{numel}] needs {expectedBytes}", memberName);
        var storage = new TorchStorage(key, dtype, numel, member.Open(_path));
        _storages[key] = storage;
        return storage;
    }

    private TensorData RebuildTensor(object?[] args)
    {
        if (args[0] is not TorchStorage storage) throw Fail($"tensor storage is a {RestrictedUnpickler.Describe(args[0])}, not a storage");
        string key = storage.Key;
        if (args[1] is not long offset || offset < 0) throw Fail("tensor storage offset is not a non-negative int", key);
        var shape = IntTuple(args[2], "size", key);
        var strides = IntTuple(args[3], "stride", key);
        if (shape.Length != strides.Length) throw Fail($"size has {shape.Length} dims, stride {strides.Length}", key);

        long count = 1;
        long last = offset; // index of the last element the view reaches
        try
        {
            for (int d = 0; d < shape.Length; d++) count = checked(count * shape[d]);
            if (count > 0)
                for (int d = 0; d < shape.Length; d++) last = checked(last + (shape[d] - 1) * strides[d]);
        }
        catch (OverflowException) { throw Fail("tensor size/stride arithmetic overflows", key); }
        if (count > 0 && last >= storage.ElementCount || offset > storage.ElementCount)
            throw Fail($"tensor view (offset {offset}, size [{string.Join(", ", shape)}], stride [{string.Join(", ", strides)}]) reaches past the {storage.ElementCount}-element storage", key);
        return new TensorData("", shape, storage.DType, storage.Bytes, offset, strides, count);
    }

    private ImmutableArray<long> IntTuple(object? value, string what, string key)
    {
        if (value is not object?[] items) throw Fail($"tensor {what} is a {RestrictedUnpickler.Describe(value)}, not a tuple", key);
        if (items.Length > MaxRank) throw Fail($"tensor rank {items.Length} exceeds {MaxRank}", key);
        var result = ImmutableArray.CreateBuilder<long>(items.Length);
        foreach (var item in items)
        {
            if (item is not long v || v < 0) throw Fail($"tensor {what} entry {RestrictedUnpickler.Describe(item)} is not a non-negative int", key);
            result.Add(v);
        }
        return result.MoveToImmutable();
    }

    private CheckpointException Fail(string problem, string? key = null) => new(_path, problem, key ?? _prefix + "data.pkl");
}

/// <summary>One typed storage of a torch archive (the record data/&lt;key&gt;).</summary>
internal sealed record TorchStorage(string Key, string DType, long ElementCount, TensorBytes Bytes);
