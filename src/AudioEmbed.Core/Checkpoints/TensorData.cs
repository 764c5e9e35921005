using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Checkpoints;

/// <summary>
/// One tensor of a checkpoint: name, shape, element type and where its bytes are.
/// <para>
/// Values are loaded LAZILY: opening a checkpoint only parses its index (safetensors header or
/// torch pickle) and checks every bound; the bytes of a tensor are read from the file when
/// <see cref="ToFloat32"/> (or <see cref="CopyToFloat32"/>, <see cref="ToInt64"/>) is called, by a
/// positioned read of exactly the byte range the tensor covers. So a 1.3 GB checkpoint is read
/// once, tensor by tensor, never held whole in memory, and a contiguous float32 tensor is read
/// straight into the result array with no intermediate copy. No file handle is held between
/// calls, so nothing needs disposing; the flip side is that the file must not change while in use
/// (a file that shrank is reported as a <see cref="CheckpointException"/>).
/// </para>
/// DTypes use the safetensors spelling: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL.
/// Integer and bool tensors convert to float32 exactly up to 2^24 (position ids and the like).
/// </summary>
public sealed class TensorData
{
    private readonly TensorBytes _source;
    private readonly ImmutableArray<long> _shape;
    private readonly long _storageOffset;          // in elements
    private readonly ImmutableArray<long> _strides; // in elements

    internal TensorData(string name, ImmutableArray<long> shape, string dtype, TensorBytes source,
                        long storageOffset, ImmutableArray<long> strides, long elementCount)
    {
        Name = name;
        _shape = shape;
        Shape = shape; // boxed once
        DType = dtype;
        _source = source;
        _storageOffset = storageOffset;
        _strides = strides;
        ElementCount = elementCount;
        IsContiguous = IsRowMajor(shape, strides);
    }

    /// <summary>The key under which the tensor was found ("" for a tensor that is not a dict value).</summary>
    public string Name { get; }

    /// <summary>The dimensions (empty for a scalar); immutable, compares as a sequence.</summary>
    public IReadOnlyList<long> Shape { get; }

    public int Rank => _shape.Length;

    public string DType { get; }

    /// <summary>Product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>False for a strided view (e.g. a transposed tensor saved by torch); values are then gathered.</summary>
    public bool IsContiguous { get; }

    /// <summary>The file the values come from.</summary>
    public string FilePath => _source.FilePath;

    /// <summary>Identifies the underlying storage; tensors that view one storage (shared weights) report the same value.</summary>
    public string StorageId => _source.Id;

    /// <summary>The same tensor under another name (shares the bytes; nothing is read).</summary>
    public TensorData WithName(string name) =>
        name == Name ? this : new TensorData(name, _shape, DType, _source, _storageOffset, _strides, ElementCount);

    /// <summary>Reads the values in row-major order, converted to float32.</summary>
    public float[] ToFloat32()
    {
        var result = new float[CheckedArrayLength()];
        CopyToFloat32(result);
        return result;
    }

    /// <summary>Reads the values in row-major order into <paramref name="destination"/> (length must be <see cref="ElementCount"/>).</summary>
    public void CopyToFloat32(Span<float> destination)
    {
        if (destination.Length != ElementCount)
            throw new ArgumentException($"destination holds {destination.Length} values, the tensor {ElementCount}", nameof(destination));
        if (ElementCount == 0) return;
        int item = TensorDTypes.ItemSize(DType);
        if (IsContiguous && DType == TensorDTypes.F32)
        {
            // The common case: bytes go straight into the caller's floats (little-endian host assumed).
            Read(_storageOffset * item, MemoryMarshal.AsBytes(destination));
            return;
        }
        byte[] raw = ReadExtent(item, out long extentElements);
        if (IsContiguous)
        {
            TensorDTypes.ConvertToFloat32(DType, raw, destination);
            return;
        }
        var extent = new float[extentElements];
        TensorDTypes.ConvertToFloat32(DType, raw, extent);
        Gather(extent, destination);
    }

    /// <summary>Reads an integer or bool tensor (I64, I32, I16, I8, U8, BOOL) exactly, in row-major order.</summary>
    public long[] ToInt64()
    {
        if (!TensorDTypes.IsInteger(DType))
            throw new CheckpointException(FilePath, $"ToInt64 needs an integer tensor, this one is {DType}", Name);
        var result = new long[CheckedArrayLength()];
        if (result.Length == 0) return result;
        int item = TensorDTypes.ItemSize(DType);
        byte[] raw = ReadExtent(item, out long extentElements);
        var extent = IsContiguous ? result : new long[extentElements];
        TensorDTypes.ConvertToInt64(DType, raw, extent);
        if (!IsContiguous) Gather<long>(extent, result);
        return result;
    }

    public override string ToString() => $"{Name} {DType}[{string.Join(", ", Shape)}]";

    private int CheckedArrayLength()
    {
        if (ElementCount > Array.MaxLength)
            throw new CheckpointException(FilePath, $"{ElementCount} values do not fit in one array", Name);
        return (int)ElementCount;
    }

    /// <summary>Reads the storage elements from the tensor's first to its last reachable element.</summary>
    private byte[] ReadExtent(int item, out long extentElements)
    {
        extentElements = 1;
        for (int d = 0; d < _shape.Length; d++) extentElements += (_shape[d] - 1) * _strides[d];
        long bytes = extentElements * item;
        if (bytes > Array.MaxLength)
            throw new CheckpointException(FilePath, $"the tensor spans {bytes} bytes, more than one array holds", Name);
        var raw = new byte[bytes];
        Read(_storageOffset * item, raw);
        return raw;
    }

    private void Read(long offset, Span<byte> destination)
    {
        try
        {
            _source.Read(offset, destination);
        }
        catch (CheckpointException) { throw; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CheckpointException(FilePath, $"cannot read the tensor values: {ex.Message}", Name, ex);
        }
    }

    /// <summary>Copies a strided view (relative to its first element) into row-major order.</summary>
    private void Gather<T>(ReadOnlySpan<T> extent, Span<T> destination)
    {
        var shape = _shape.AsSpan();
        int rank = shape.Length;
        Span<long> index = stackalloc long[rank];
        long src = 0;
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = extent[(int)src];
            // Odometer increment of the multi-index, keeping the source offset in step.
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) { src += _strides[d]; break; }
                src -= (shape[d] - 1) * _strides[d];
                index[d] = 0;
            }
        }
    }

    private static bool IsRowMajor(ImmutableArray<long> shape, ImmutableArray<long> strides)
    {
        long expected = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }
}

/// <summary>Where a tensor's bytes live: a byte range of one file (or a compressed zip member).</summary>
internal abstract class TensorBytes
{
    protected TensorBytes(string filePath, string id, long length)
    {
        FilePath = filePath;
        Id = id;
        Length = length;
    }

    public string FilePath { get; }
    public string Id { get; }
    public long Length { get; }

    /// <summary>Fills <paramref name="destination"/> with the bytes at <paramref name="offset"/> (already bounds-checked by the caller).</summary>
    public abstract void Read(long offset, Span<byte> destination);
}

/// <summary>A byte range of a file read with positioned reads; no handle stays open between reads.</summary>
internal sealed class FileRangeBytes : TensorBytes
{
    private readonly long _fileOffset;

    public FileRangeBytes(string filePath, string id, long fileOffset, long length) : base(filePath, id, length)
        => _fileOffset = fileOffset;

    public override void Read(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Length)
            throw new CheckpointException(FilePath, $"read of {destination.Length} bytes at {offset} is outside the {Length}-byte range", Id);
        using var handle = File.OpenHandle(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        long position = _fileOffset + offset;
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(handle, destination, position);
            if (n <= 0) throw new CheckpointException(FilePath, "the file ended inside a tensor (was it truncated after opening?)", Id);
            destination = destination[n..];
            position += n;
        }
    }
}
