using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text.Json;

namespace AudioEmbed.Core.Checkpoints.Safetensors;

/// <summary>
/// Reads the index of a .safetensors file: u64 little-endian header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}</c>, then the
/// data buffer (offsets are relative to its start). Every bound is checked before anything is
/// allocated from it; tensor values are read lazily (see <see cref="TensorData"/>).
/// </summary>
public sealed class SafetensorsReader
{
    /// <summary>Largest header accepted; real headers are a few hundred KB at most.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private const int MaxRank = 32;

    private SafetensorsReader(string path, IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = path;
        Tensors = tensors;
        Metadata = metadata;
    }

    public string FilePath { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyDictionary<string, TensorData> Tensors { get; }

    /// <summary>The optional "__metadata__" strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsReader Open(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "the file does not exist");
        byte[] header;
        long fileLength, dataStart;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8) throw new CheckpointException(path, $"{fileLength} bytes is too short for a safetensors file (8-byte header length missing)");
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, path);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw new CheckpointException(path, $"the header length {headerLength} exceeds the {fileLength - 8} bytes after the length field");
            if (headerLength > MaxHeaderBytes)
                throw new CheckpointException(path, $"the header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
            if (headerLength < 2) throw new CheckpointException(path, $"the header length {headerLength} is too short for a JSON object");
            header = new byte[headerLength];
            ReadExactly(handle, header, 8, path);
            dataStart = 8 + (long)headerLength;
        }
        catch (IOException ex)
        {
            throw new CheckpointException(path, "cannot read the file: " + ex.Message, inner: ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CheckpointException(path, "cannot read the file: " + ex.Message, inner: ex);
        }
        if (header[0] != (byte)'{') throw new CheckpointException(path, "the header does not start with '{'");
        // JsonDocument only checks string encoding when a string is read; check it all up front.
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw new CheckpointException(path, "the header is not valid UTF-8");

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException ex) { throw new CheckpointException(path, "the header is not valid JSON: " + ex.Message, inner: ex); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, "the header is not a JSON object");
            return Build(path, doc.RootElement, dataStart, fileLength - dataStart);
        }
    }

    private static SafetensorsReader Build(string path, JsonElement root, long dataStart, long dataLength)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<(string Name, string DType, ImmutableArray<long> Shape, long Count, long Begin, long End)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            string name = property.Name;
            if (!seen.Add(name)) throw new CheckpointException(path, "the header names this entry twice", name);
            if (name == "__metadata__")
            {
                if (property.Value.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, "__metadata__ is not an object", name);
                foreach (var m in property.Value.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String) throw new CheckpointException(path, $"metadata value '{m.Name}' is not a string", name);
                    metadata[m.Name] = m.Value.GetString()!;
                }
                continue;
            }
            entries.Add(ParseEntry(path, name, property.Value));
        }

        // Offsets: inside the buffer, non-overlapping, and (as the format requires) covering it without holes.
        var byBegin = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long cursor = 0;
        foreach (var e in byBegin)
        {
            if (e.End > dataLength)
                throw new CheckpointException(path, $"data_offsets [{e.Begin}, {e.End}] run past the {dataLength}-byte data buffer", e.Name);
            if (e.Begin < cursor)
                throw new CheckpointException(path, $"data_offsets [{e.Begin}, {e.End}] overlap another tensor ending at {cursor}", e.Name);
            if (e.Begin > cursor)
                throw new CheckpointException(path, $"the data buffer has a hole of {e.Begin - cursor} bytes before this tensor", e.Name);
            cursor = e.End;
        }
        if (cursor != dataLength)
            throw new CheckpointException(path, $"the tensors cover {cursor} bytes but the data buffer holds {dataLength}");

        var tensors = new Dictionary<string, TensorData>(entries.Count, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var source = new FileRangeBytes(path, e.Name, dataStart + e.Begin, e.End - e.Begin);
            tensors[e.Name] = new TensorData(e.Name, e.Shape, e.DType, source, 0, RowMajorStrides(e.Shape), e.Count);
        }
        return new SafetensorsReader(path, tensors, metadata);
    }

    private static (string, string, ImmutableArray<long>, long, long, long) ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) throw new CheckpointException(path, "the header entry is not an object", name);
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new CheckpointException(path, "missing or non-string 'dtype'", name);
        string dtype = dtypeElement.GetString()!;
        int item = TensorDTypes.ItemSize(dtype);
        if (item == 0) throw new CheckpointException(path, $"unsupported dtype '{dtype}' (F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL are)", name);

        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw new CheckpointException(path, "missing or non-array 'shape'", name);
        if (shapeElement.GetArrayLength() > MaxRank) throw new CheckpointException(path, $"rank {shapeElement.GetArrayLength()} exceeds {MaxRank}", name);
        var shape = ImmutableArray.CreateBuilder<long>(shapeElement.GetArrayLength());
        long count = 1;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw new CheckpointException(path, $"shape entry {d.GetRawText()} is not a non-negative integer", name);
            shape.Add(dim);
            try { count = checked(count * dim); }
            catch (OverflowException) { throw new CheckpointException(path, "the shape's element count overflows", name); }
        }

        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new CheckpointException(path, "missing 'data_offsets' [begin, end]", name);
        long begin = OffsetAt(path, name, offsets[0]), end = OffsetAt(path, name, offsets[1]);
        if (begin > end) throw new CheckpointException(path, $"data_offsets begin {begin} > end {end}", name);
        long expected;
        try { expected = checked(count * item); }
        catch (OverflowException) { throw new CheckpointException(path, "the shape's byte size overflows", name); }
        if (end - begin != expected)
            throw new CheckpointException(path, $"data_offsets span {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtype} needs {expected}", name);
        foreach (var p in value.EnumerateObject())
            if (p.Name is not ("dtype" or "shape" or "data_offsets"))
                throw new CheckpointException(path, $"unexpected field '{p.Name}' in the header entry", name);
        return (name, dtype, shape.MoveToImmutable(), count, begin, end);
    }

    private static long OffsetAt(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long v) || v < 0)
            throw new CheckpointException(path, $"data offset {e.GetRawText()} is not a non-negative 64-bit integer", name);
        return v;
    }

    internal static ImmutableArray<long> RowMajorStrides(ImmutableArray<long> shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= Math.Max(shape[d], 1);
        }
        return ImmutableArray.Create(strides);
    }

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> buffer, long offset, string path)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(handle, buffer, offset);
            if (n <= 0) throw new CheckpointException(path, "the file ended early");
            buffer = buffer[n..];
            offset += n;
        }
    }
}
