using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>Builds pickle byte streams opcode by opcode (protocol 2–4 opcodes, written from the pickle spec).</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = new();

    public byte[] ToArray() => _bytes.ToArray();

    public PickleBuilder Op(byte op) { _bytes.Add(op); return this; }
    public PickleBuilder Raw(params byte[] bytes) { _bytes.AddRange(bytes); return this; }
    public PickleBuilder Proto(byte version = 2) => Op(0x80).Raw(version);
    public PickleBuilder Mark() => Op((byte)'(');
    public PickleBuilder Stop() => Op((byte)'.');
    public PickleBuilder Tuple() => Op((byte)'t');
    public PickleBuilder Tuple1() => Op(0x85);
    public PickleBuilder Tuple2() => Op(0x86);
    public PickleBuilder EmptyTuple() => Op((byte)')');
    public PickleBuilder EmptyDict() => Op((byte)'}');
    public PickleBuilder EmptyList() => Op((byte)']');
    public PickleBuilder Reduce() => Op((byte)'R');
    public PickleBuilder Build() => Op((byte)'b');
    public PickleBuilder SetItem() => Op((byte)'s');
    public PickleBuilder SetItems() => Op((byte)'u');
    public PickleBuilder Appends() => Op((byte)'e');
    public PickleBuilder False() => Op(0x89);
    public PickleBuilder None() => Op((byte)'N');
    public PickleBuilder PersId() => Op((byte)'Q');
    public PickleBuilder Put(byte index) => Op((byte)'q').Raw(index);
    public PickleBuilder Get(byte index) => Op((byte)'h').Raw(index);

    public PickleBuilder Global(string module, string name) =>
        Op((byte)'c').Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    public PickleBuilder StackGlobal(string module, string name) => Str(module).Str(name).Op(0x93);

    public PickleBuilder Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        Op((byte)'X');
        var len = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)utf8.Length);
        return Raw(len).Raw(utf8);
    }

    public PickleBuilder Int(long v)
    {
        if (v >= 0 && v < 256) return Op((byte)'K').Raw((byte)v);
        if (v >= 0 && v < 65536) return Op((byte)'M').Raw((byte)v, (byte)(v >> 8));
        if (v >= int.MinValue && v <= int.MaxValue)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            return Op((byte)'J').Raw(b);
        }
        var l = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(l, v);
        return Op(0x8a).Raw(8).Raw(l);
    }

    public PickleBuilder IntTuple(IReadOnlyList<long> values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Tuple();
    }

    /// <summary>torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()) as torch writes it.</summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, IReadOnlyList<long> shape, IReadOnlyList<long> stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(numel).Tuple().PersId();
        Int(offset).IntTuple(shape).IntTuple(stride).False();
        Global("collections", "OrderedDict").EmptyTuple().Reduce();
        return Tuple().Reduce();
    }

    /// <summary>An OrderedDict state dict pickle: {name: tensor over its own storage (key = index)}.</summary>
    public static byte[] StateDict(IReadOnlyList<SyntheticTensor> tensors, string storageType = "FloatStorage")
    {
        var p = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            p.Str(t.Name).Tensor(storageType, i.ToString(), t.Count, 0, t.Shape, t.RowMajorStrides());
        }
        return p.SetItems().Stop().ToArray();
    }
}

/// <summary>A tensor to synthesise: name and shape; its values are 0 except markers at the first and last element.</summary>
internal sealed record SyntheticTensor(string Name, long[] Shape)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    public long[] RowMajorStrides()
    {
        var s = new long[Shape.Length];
        long acc = 1;
        for (int d = Shape.Length - 1; d >= 0; d--) { s[d] = acc; acc *= Shape[d]; }
        return s;
    }

    public static float FirstMarker(int index) => index + 1;
    public static float LastMarker(int index) => -(index + 1) * 0.5f;

    /// <summary>Key/shape lists from the fixture JSON (MERT: "state_dict" [{key, shape}], EnCodecMAE: "entries").</summary>
    public static List<SyntheticTensor> FromStateDictJson(string path, string arrayName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty(arrayName).EnumerateArray()
            .Select(e => new SyntheticTensor(e.GetProperty("key").GetString()!, e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray()))
            .ToList();
    }
}

/// <summary>
/// Writes the marker values (first element = i+1, last = -(i+1)/2, zeros between) of tensor i at
/// <paramref name="dataStart"/> by seeking, so the zeros stay holes of a sparse file: a full-size
/// 1.3 GB checkpoint then costs a few KB of disk and no time.
/// </summary>
internal static class SparseTensorData
{
    public static void WriteMarkers(FileStream file, long dataStart, int index, long count)
    {
        if (count == 0) return;
        file.Position = dataStart;
        file.Write(BitConverter.GetBytes(SyntheticTensor.FirstMarker(index)));
        if (count > 1)
        {
            file.Position = dataStart + (count - 1) * 4;
            file.Write(BitConverter.GetBytes(SyntheticTensor.LastMarker(index)));
        }
    }

    /// <summary>CRC-32 of the marker content, using the zero-run operator so gigabytes of zeros cost nothing.</summary>
    public static uint Crc(int index, long count)
    {
        uint state = 0xFFFFFFFF;
        if (count > 0)
        {
            state = TestCrc32.Update(state, BitConverter.GetBytes(SyntheticTensor.FirstMarker(index)));
            if (count > 1)
            {
                state = TestCrc32.Zeros(state, (count - 2) * 4);
                state = TestCrc32.Update(state, BitConverter.GetBytes(SyntheticTensor.LastMarker(index)));
            }
        }
        return ~state;
    }
}

/// <summary>CRC-32 (zip) for the test writers, including a fast "append n zero bytes" by GF(2) matrix powers.</summary>
internal static class TestCrc32
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(i =>
    {
        uint c = (uint)i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data);

    /// <summary>Advances the raw (un-inverted) register over <paramref name="data"/>.</summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
        return state;
    }

    /// <summary>Advances the raw register over <paramref name="n"/> zero bytes: the step is linear, so it is a matrix power.</summary>
    public static uint Zeros(uint state, long n)
    {
        // Column j of the one-zero-byte operator is the step applied to basis vector 2^j.
        var op = new uint[32];
        var zero = new byte[1];
        for (int j = 0; j < 32; j++) op[j] = Update(1u << j, zero);
        while (n > 0)
        {
            if ((n & 1) != 0) state = Apply(op, state);
            op = Square(op);
            n >>= 1;
        }
        return state;
    }

    private static uint Apply(uint[] m, uint v)
    {
        uint r = 0;
        for (int j = 0; v != 0; j++, v >>= 1) if ((v & 1) != 0) r ^= m[j];
        return r;
    }

    private static uint[] Square(uint[] m)
    {
        var r = new uint[32];
        for (int j = 0; j < 32; j++) r[j] = Apply(m, m[j]);
        return r;
    }
}

/// <summary>
/// Writes zip archives the way torch.save lays them out: stored members, each local header padded
/// with an extra field so the data starts on a 64-byte boundary, then the central directory and the
/// end record. Member data may be given as bytes or written sparsely by a callback.
/// </summary>
internal sealed class TorchZipWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly List<(string Name, uint Crc, long Size, long Offset)> _members = new();

    private readonly bool _zip64;

    /// <param name="zip64">Write ZIP64 records (central directory extras, ZIP64 end record and locator) with the 32-bit fields set to 0xFFFFFFFF, as large archives need.</param>
    public TorchZipWriter(string path, bool zip64 = false)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        _zip64 = zip64;
    }

    public void Add(string name, byte[] data) => Add(name, data.Length, TestCrc32.Compute(data), (f, start) => { f.Position = start; f.Write(data); });

    /// <summary>A member of <paramref name="size"/> bytes whose content <paramref name="write"/> puts at the given file offset.</summary>
    public void Add(string name, long size, uint crc, Action<FileStream, long> write)
    {
        if (size >= uint.MaxValue) throw new NotSupportedException("test writer has no ZIP64");
        long offset = _file.Length;
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long unpadded = offset + 30 + nameBytes.Length + 4;
        int pad = (int)((64 - unpadded % 64) % 64);
        var header = new byte[30 + nameBytes.Length + 4 + pad];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)(4 + pad));
        nameBytes.CopyTo(header, 30);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(30 + nameBytes.Length), 0x4246); // "FB" padding record
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32 + nameBytes.Length), (ushort)pad);
        _file.Position = offset;
        _file.Write(header);
        long dataStart = _file.Position;
        _file.SetLength(dataStart + size);
        write(_file, dataStart);
        _file.Position = dataStart + size;
        _members.Add((name, crc, size, offset));
    }

    public void Dispose()
    {
        long cdStart = _file.Length;
        _file.Position = cdStart;
        foreach (var m in _members)
        {
            var nameBytes = Encoding.UTF8.GetBytes(m.Name);
            int extra = _zip64 ? 4 + 24 : 0;
            var entry = new byte[46 + nameBytes.Length + extra];
            BinaryPrimitives.WriteUInt32LittleEndian(entry, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(4), _zip64 ? (ushort)45 : (ushort)20);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), _zip64 ? (ushort)45 : (ushort)20);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(16), m.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(20), _zip64 ? uint.MaxValue : (uint)m.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(24), _zip64 ? uint.MaxValue : (uint)m.Size);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(28), (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(30), (ushort)extra);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(42), _zip64 ? uint.MaxValue : (uint)m.Offset);
            nameBytes.CopyTo(entry, 46);
            if (_zip64)
            {
                // ZIP64 extended information: uncompressed size, compressed size, local header offset.
                var z = entry.AsSpan(46 + nameBytes.Length);
                BinaryPrimitives.WriteUInt16LittleEndian(z, 0x0001);
                BinaryPrimitives.WriteUInt16LittleEndian(z[2..], 24);
                BinaryPrimitives.WriteUInt64LittleEndian(z[4..], (ulong)m.Size);
                BinaryPrimitives.WriteUInt64LittleEndian(z[12..], (ulong)m.Size);
                BinaryPrimitives.WriteUInt64LittleEndian(z[20..], (ulong)m.Offset);
            }
            _file.Write(entry);
        }
        long cdSize = _file.Position - cdStart;
        if (_zip64)
        {
            long z64Start = _file.Position;
            var z64 = new byte[56];
            BinaryPrimitives.WriteUInt32LittleEndian(z64, 0x06064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(z64.AsSpan(4), 44);
            BinaryPrimitives.WriteUInt16LittleEndian(z64.AsSpan(12), 45);
            BinaryPrimitives.WriteUInt16LittleEndian(z64.AsSpan(14), 45);
            BinaryPrimitives.WriteUInt64LittleEndian(z64.AsSpan(24), (ulong)_members.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(z64.AsSpan(32), (ulong)_members.Count);
            BinaryPrimitives.WriteUInt64LittleEndian(z64.AsSpan(40), (ulong)cdSize);
            BinaryPrimitives.WriteUInt64LittleEndian(z64.AsSpan(48), (ulong)cdStart);
            _file.Write(z64);
            var locator = new byte[20];
            BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
            BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), (ulong)z64Start);
            BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
            _file.Write(locator);
        }
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), _zip64 ? ushort.MaxValue : (ushort)_members.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), _zip64 ? ushort.MaxValue : (ushort)_members.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), _zip64 ? uint.MaxValue : (uint)cdSize);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), _zip64 ? uint.MaxValue : (uint)cdStart);
        _file.Write(end);
        _file.Dispose();
    }

    /// <summary>A torch.save-style archive holding <paramref name="pickle"/> and the given storage records.</summary>
    public static void WriteArchive(string path, byte[] pickle, IEnumerable<(string Key, byte[] Data)> storages, string top = "archive", bool zip64 = false)
    {
        using var zip = new TorchZipWriter(path, zip64);
        zip.Add(top + "/data.pkl", pickle);
        foreach (var (key, data) in storages) zip.Add(top + "/data/" + key, data);
        zip.Add(top + "/version", Encoding.ASCII.GetBytes("3\n"));
    }
}

/// <summary>Writes .safetensors files from the format facts: u64 LE header size, JSON header padded with spaces to 8 bytes, data.</summary>
internal static class SafetensorsWriter
{
    public static string Header(IEnumerable<(string Name, string DType, long[] Shape, long Begin, long End)> entries, IDictionary<string, string>? metadata = null)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        if (metadata != null)
        {
            sb.Append("\"__metadata__\":").Append(JsonSerializer.Serialize(metadata));
            first = false;
        }
        foreach (var e in entries)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append(JsonSerializer.Serialize(e.Name)).Append(":{\"dtype\":\"").Append(e.DType).Append("\",\"shape\":[")
              .Append(string.Join(",", e.Shape)).Append("],\"data_offsets\":[").Append(e.Begin).Append(',').Append(e.End).Append("]}");
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Writes header + data; the header is space-padded to a multiple of 8 bytes.</summary>
    public static long WriteHeader(FileStream file, string header)
    {
        var bytes = Encoding.UTF8.GetBytes(header);
        int padded = (bytes.Length + 7) / 8 * 8;
        var buffer = new byte[8 + padded];
        buffer.AsSpan(8).Fill((byte)' ');
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)padded);
        bytes.CopyTo(buffer, 8);
        file.Position = 0;
        file.Write(buffer);
        return buffer.Length;
    }

    /// <summary>Raw file: explicit 8-byte length (may lie) followed by the given header text and data bytes.</summary>
    public static byte[] Raw(ulong declaredLength, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, declaredLength);
        h.CopyTo(result, 8);
        data.CopyTo(result, 8 + h.Length);
        return result;
    }

    /// <summary>A full-size sparse F32 safetensors file of <paramref name="tensors"/> with marker values.</summary>
    public static void WriteSparse(string path, IReadOnlyList<SyntheticTensor> tensors)
    {
        long offset = 0;
        var entries = new List<(string, string, long[], long, long)>();
        foreach (var t in tensors)
        {
            entries.Add((t.Name, "F32", t.Shape, offset, offset + t.Count * 4));
            offset += t.Count * 4;
        }
        using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        long dataStart = WriteHeader(file, Header(entries, new Dictionary<string, string> { ["format"] = "pt" }));
        file.SetLength(dataStart + offset);
        for (int i = 0; i < tensors.Count; i++)
            SparseTensorData.WriteMarkers(file, dataStart + entries[i].Item4, i, tensors[i].Count);
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ckpt-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
