using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AudioEmbed.Core.Output;

/// <summary>Writes float32 little-endian C-order arrays as .npy version 1.0 (what numpy.save writes for small headers).</summary>
public static class NpyWriter
{
    public static void Write(Stream stream, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape.ToArray())}) holds {count} values but {values.Length} were given");

        stream.Write(BuildHeader(shape));
        var buffer = new byte[Math.Min(values.Length, 16384) * 4];
        int i = 0;
        while (i < values.Length)
        {
            int n = Math.Min(values.Length - i, buffer.Length / 4);
            for (int k = 0; k < n; k++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(k * 4), values[i + k]);
            stream.Write(buffer, 0, n * 4);
            i += n;
        }
    }

    /// <summary>Magic, version 1.0, and a dict header padded with spaces to a 64-byte boundary, ending in a newline.</summary>
    internal static byte[] BuildHeader(ReadOnlySpan<int> shape, string descr = "<f4")
    {
        string dims = shape.Length == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int preamble = 10; // magic(6) + version(2) + header length(2)
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        var bytes = new byte[preamble + header.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(preamble));
        return bytes;
    }
}
