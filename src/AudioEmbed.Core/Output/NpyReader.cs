using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace AudioEmbed.Core.Output;

/// <summary>
/// Reads numpy .npy files (format versions 1.0, 2.0 and 3.0), numeric dtypes in either byte order.
/// The header is checked against the file length before anything is allocated, so a lying header
/// cannot make us allocate more than the file holds.
/// </summary>
public static class NpyReader
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };
    private const int MaxHeaderLength = 1 << 20; // numpy itself refuses headers past a few KiB by default

    public static NpyArray Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path);
    }

    public static NpyArray Read(Stream stream, string displayName)
    {
        var (shape, dtype, fortranOrder) = ReadHeader(stream, displayName);
        var (kind, size, bigEndian) = ParseDType(dtype, displayName);
        long count = 1;
        foreach (var d in shape) count = checked(count * d);
        long bytesNeeded = checked(count * size);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining < bytesNeeded)
                throw new NpyFormatException(displayName, $"header promises {count} values of {dtype} ({bytesNeeded} bytes) but only {remaining} bytes follow");
        }
        if (count > Array.MaxLength) throw new NpyFormatException(displayName, $"{count} values is more than one array can hold");

        var values = new double[count];
        var buffer = new byte[Math.Min(bytesNeeded, 1 << 16) / size * size + size];
        long done = 0;
        while (done < count)
        {
            int want = (int)Math.Min(buffer.Length / size, count - done) * size;
            stream.ReadExactly(buffer, 0, want);
            for (int off = 0; off < want; off += size)
                values[done++] = Decode(buffer.AsSpan(off, size), kind, size, bigEndian);
        }
        if (fortranOrder && shape.Length > 1) values = FortranToC(values, shape);
        return new NpyArray(shape, dtype, values);
    }

    /// <summary>Reads only the header: shape and dtype, without the data (cheap validation of large folders).</summary>
    public static (int[] Shape, string DType) ReadShape(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var (shape, dtype, _) = ReadHeader(stream, path);
        var (_, size, _) = ParseDType(dtype, path);
        long count = 1;
        foreach (var d in shape) count = checked(count * d);
        long remaining = stream.Length - stream.Position;
        if (remaining < count * size)
            throw new NpyFormatException(path, $"header promises {count * size} bytes of data but only {remaining} follow (truncated file)");
        return (shape, dtype);
    }

    private static (int[] Shape, string DType, bool FortranOrder) ReadHeader(Stream stream, string name)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (ReadAtMost(stream, prefix) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new NpyFormatException(name, "it does not start with the numpy magic bytes");
        int major = prefix[6];
        int headerLength;
        Encoding encoding = Encoding.Latin1;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            if (ReadAtMost(stream, len) < 2) throw new NpyFormatException(name, "truncated header length");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major == 2 || major == 3)
        {
            Span<byte> len = stackalloc byte[4];
            if (ReadAtMost(stream, len) < 4) throw new NpyFormatException(name, "truncated header length");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(len);
            if (l > MaxHeaderLength) throw new NpyFormatException(name, $"header length {l} is implausibly large");
            headerLength = (int)l;
            if (major == 3) encoding = Encoding.UTF8;
        }
        else throw new NpyFormatException(name, $"unsupported format version {major}.{prefix[7]}");

        if (stream.CanSeek && stream.Length - stream.Position < headerLength)
            throw new NpyFormatException(name, "the header is longer than the file");
        var headerBytes = new byte[headerLength];
        if (ReadAtMost(stream, headerBytes) < headerLength) throw new NpyFormatException(name, "truncated header");
        string header = encoding.GetString(headerBytes);

        string dtype = Match(header, @"'descr'\s*:\s*'([^']*)'", name, "descr");
        string fortran = Match(header, @"'fortran_order'\s*:\s*(True|False)", name, "fortran_order");
        string shapeText = Match(header, @"'shape'\s*:\s*\(([^)]*)\)", name, "shape");
        var shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s.TrimEnd('L'), out var v) && v >= 0 ? v : throw new NpyFormatException(name, $"bad dimension '{s}' in shape"))
            .ToArray();
        return (shape, dtype, fortran == "True");
    }

    private static string Match(string header, string pattern, string name, string key)
    {
        var m = Regex.Match(header, pattern);
        if (!m.Success) throw new NpyFormatException(name, $"header has no valid '{key}' entry");
        return m.Groups[1].Value;
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static (char Kind, int Size, bool BigEndian) ParseDType(string dtype, string name)
    {
        if (dtype.Length < 2) throw new NpyFormatException(name, $"unsupported dtype '{dtype}'");
        char order = dtype[0];
        string rest = dtype;
        bool bigEndian = false;
        if (order is '<' or '>' or '|' or '=')
        {
            bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
            rest = dtype[1..];
        }
        char kind = rest[0];
        if (!int.TryParse(rest.AsSpan(1), out int size))
            throw new NpyFormatException(name, $"unsupported dtype '{dtype}'");
        bool ok = kind switch
        {
            'f' => size is 2 or 4 or 8,
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            'b' => size == 1,
            _ => false,
        };
        if (!ok) throw new NpyFormatException(name, $"unsupported dtype '{dtype}' (numeric arrays only)");
        return (kind, size, bigEndian);
    }

    private static double Decode(ReadOnlySpan<byte> b, char kind, int size, bool bigEndian)
    {
        Span<byte> le = stackalloc byte[8];
        b.CopyTo(le);
        if (bigEndian) le[..size].Reverse();
        return (kind, size) switch
        {
            ('f', 2) => (double)BinaryPrimitives.ReadHalfLittleEndian(le),
            ('f', 4) => BinaryPrimitives.ReadSingleLittleEndian(le),
            ('f', 8) => BinaryPrimitives.ReadDoubleLittleEndian(le),
            ('i', 1) => (sbyte)le[0],
            ('i', 2) => BinaryPrimitives.ReadInt16LittleEndian(le),
            ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(le),
            ('i', 8) => BinaryPrimitives.ReadInt64LittleEndian(le),
            ('u', 1) or ('b', 1) => le[0],
            ('u', 2) => BinaryPrimitives.ReadUInt16LittleEndian(le),
            ('u', 4) => BinaryPrimitives.ReadUInt32LittleEndian(le),
            ('u', 8) => BinaryPrimitives.ReadUInt64LittleEndian(le),
            _ => throw new InvalidOperationException("unreachable: dtype validated earlier"),
        };
    }

    private static double[] FortranToC(double[] values, int[] shape)
    {
        var result = new double[values.Length];
        int n = shape.Length;
        var index = new int[n];
        for (long c = 0; c < values.LongLength; c++)
        {
            long f = 0, stride = 1;
            for (int d = 0; d < n; d++) { f += index[d] * stride; stride *= shape[d]; }
            result[c] = values[f];
            for (int d = n - 1; d >= 0; d--) { if (++index[d] < shape[d]) break; index[d] = 0; }
        }
        return result;
    }
}
