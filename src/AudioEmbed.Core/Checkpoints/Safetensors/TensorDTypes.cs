using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Checkpoints;

/// <summary>The element types a checkpoint tensor may have (safetensors names) and their conversions.</summary>
internal static class TensorDTypes
{
    public const string F32 = "F32", F16 = "F16", BF16 = "BF16", F64 = "F64";
    public const string I64 = "I64", I32 = "I32", I16 = "I16", I8 = "I8", U8 = "U8", Bool = "BOOL";

    /// <summary>Bytes per element, or 0 when the dtype is not supported.</summary>
    public static int ItemSize(string dtype) => dtype switch
    {
        F64 or I64 => 8,
        F32 or I32 => 4,
        F16 or BF16 or I16 => 2,
        I8 or U8 or Bool => 1,
        _ => 0,
    };

    public static bool IsInteger(string dtype) => dtype is I64 or I32 or I16 or I8 or U8 or Bool;

    public static void ConvertToFloat32(string dtype, ReadOnlySpan<byte> raw, Span<float> dst)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoint tensors are little-endian; a big-endian host is not supported");
        switch (dtype)
        {
            case F32: MemoryMarshal.Cast<byte, float>(raw).CopyTo(dst); break;
            case F64: { var s = MemoryMarshal.Cast<byte, double>(raw); for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i]; break; }
            case F16: { var s = MemoryMarshal.Cast<byte, Half>(raw); for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i]; break; }
            case BF16:
            {
                // bfloat16 is the top half of a float32.
                var s = MemoryMarshal.Cast<byte, ushort>(raw);
                for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(s[i] << 16);
                break;
            }
            case I64: { var s = MemoryMarshal.Cast<byte, long>(raw); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case I32: { var s = MemoryMarshal.Cast<byte, int>(raw); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case I16: { var s = MemoryMarshal.Cast<byte, short>(raw); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case I8: for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)raw[i]; break;
            case U8: for (int i = 0; i < dst.Length; i++) dst[i] = raw[i]; break;
            case Bool: for (int i = 0; i < dst.Length; i++) dst[i] = raw[i] != 0 ? 1f : 0f; break;
            default: throw new InvalidOperationException($"unsupported dtype {dtype}");
        }
    }

    public static void ConvertToInt64(string dtype, ReadOnlySpan<byte> raw, Span<long> dst)
    {
        for (int i = 0; i < dst.Length; i++)
        {
            dst[i] = dtype switch
            {
                I64 => BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]),
                I32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]),
                I16 => BinaryPrimitives.ReadInt16LittleEndian(raw[(i * 2)..]),
                I8 => (sbyte)raw[i],
                U8 => raw[i],
                Bool => raw[i] != 0 ? 1 : 0,
                _ => throw new InvalidOperationException($"unsupported dtype {dtype}"),
            };
        }
    }
}
