using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Turns stored sample bytes into float32 with the usual scaling: signed integers divide by 2^(container bits - 1)
/// after the unused low bits are cleared (so 24-in-32 equals int24 / 2^23), unsigned 8-bit is (x - 128) / 128,
/// float32 is copied and float64 is rounded to float32. Integer scaling multiplies by a power of two, so every
/// integer of up to 24 bits maps exactly and 32-bit values are rounded once.
/// </summary>
internal static class WavSampleConverter
{
    /// <summary>Converts <c>destination.Length</c> samples from <paramref name="source"/>, which holds exactly that many.</summary>
    public static void Convert(ReadOnlySpan<byte> source, Span<float> destination, WavSampleFormat format)
    {
        int mask = format.LowBitsMask;
        bool swap = format.BigEndian == BitConverter.IsLittleEndian;
        switch (format.Encoding)
        {
            case WavSampleEncoding.UInt8: FromUInt8(source, destination, mask); break;
            case WavSampleEncoding.Int8: FromInt8(source, destination, mask); break;
            case WavSampleEncoding.Int16: FromInt16(source, destination, mask, swap); break;
            case WavSampleEncoding.Int24: FromInt24(source, destination, mask, format.BigEndian); break;
            case WavSampleEncoding.Int32: FromInt32(source, destination, mask, swap); break;
            case WavSampleEncoding.Float32: FromFloat32(source, destination, swap); break;
            case WavSampleEncoding.Float64: FromFloat64(source, destination, swap); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format.Encoding, "unknown sample encoding");
        }
    }

    private static void FromUInt8(ReadOnlySpan<byte> src, Span<float> dst, int mask)
    {
        const float scale = 1f / 128;
        for (int i = 0; i < dst.Length; i++) dst[i] = ((src[i] & mask) - 128) * scale;
    }

    private static void FromInt8(ReadOnlySpan<byte> src, Span<float> dst, int mask)
    {
        const float scale = 1f / 128;
        for (int i = 0; i < dst.Length; i++) dst[i] = ((sbyte)src[i] & mask) * scale;
    }

    private static void FromInt16(ReadOnlySpan<byte> src, Span<float> dst, int mask, bool swap)
    {
        const float scale = 1f / 32768;
        var s = MemoryMarshal.Cast<byte, short>(src[..(dst.Length * 2)]);
        if (swap)
            for (int i = 0; i < dst.Length; i++) dst[i] = (BinaryPrimitives.ReverseEndianness(s[i]) & mask) * scale;
        else
            for (int i = 0; i < dst.Length; i++) dst[i] = (s[i] & mask) * scale;
    }

    private static void FromInt24(ReadOnlySpan<byte> src, Span<float> dst, int mask, bool bigEndian)
    {
        const float scale = 1f / 8388608;
        src = src[..(dst.Length * 3)];
        for (int i = 0, j = 0; i < dst.Length; i++, j += 3)
        {
            // Assemble the three bytes in the top of an int, then shift down arithmetically to sign-extend.
            int v = bigEndian
                ? (src[j] << 24) | (src[j + 1] << 16) | (src[j + 2] << 8)
                : (src[j + 2] << 24) | (src[j + 1] << 16) | (src[j] << 8);
            dst[i] = ((v >> 8) & mask) * scale;
        }
    }

    private static void FromInt32(ReadOnlySpan<byte> src, Span<float> dst, int mask, bool swap)
    {
        const float scale = 1f / 2147483648f;
        var s = MemoryMarshal.Cast<byte, int>(src[..(dst.Length * 4)]);
        if (swap)
            for (int i = 0; i < dst.Length; i++) dst[i] = (BinaryPrimitives.ReverseEndianness(s[i]) & mask) * scale;
        else
            for (int i = 0; i < dst.Length; i++) dst[i] = (s[i] & mask) * scale;
    }

    private static void FromFloat32(ReadOnlySpan<byte> src, Span<float> dst, bool swap)
    {
        if (!swap)
        {
            MemoryMarshal.Cast<byte, float>(src[..(dst.Length * 4)]).CopyTo(dst);
            return;
        }
        var s = MemoryMarshal.Cast<byte, int>(src[..(dst.Length * 4)]);
        for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(s[i]));
    }

    private static void FromFloat64(ReadOnlySpan<byte> src, Span<float> dst, bool swap)
    {
        var s = MemoryMarshal.Cast<byte, long>(src[..(dst.Length * 8)]);
        if (swap)
            for (int i = 0; i < dst.Length; i++) dst[i] = (float)BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(s[i]));
        else
            for (int i = 0; i < dst.Length; i++) dst[i] = (float)BitConverter.Int64BitsToDouble(s[i]);
    }
}
