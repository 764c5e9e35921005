using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Parses and validates an AIFF/AIFC "COMM" chunk: channels, frame count, bits per sample, an 80-bit extended
/// sample rate, and (AIFC only) the compression type, of which the uncompressed ones are decoded.
/// </summary>
internal static class AiffCommChunk
{
    /// <summary>Bytes looked at: 18 for AIFF, plus the 4-byte compression type for AIFC (its name string is ignored).</summary>
    public const int MaxBodyBytes = 22;

    public static (WavSampleFormat Format, long Frames) Parse(ReadOnlySpan<byte> body, long declaredSize, bool aifc, string name, long offset)
    {
        int need = aifc ? 22 : 18;
        if (declaredSize < need || body.Length < need)
            throw new AudioDecodeException(name, $"COMM chunk is {declaredSize} bytes, shorter than the {need} {(aifc ? "AIFC" : "AIFF")} needs", offset);

        int channels = BinaryPrimitives.ReadInt16BigEndian(body);
        long frames = BinaryPrimitives.ReadUInt32BigEndian(body[2..]);
        int bits = BinaryPrimitives.ReadInt16BigEndian(body[6..]);
        double rate = ExtendedToDouble(body.Slice(8, 10));
        string compression = aifc ? System.Text.Encoding.ASCII.GetString(body.Slice(18, 4)) : "NONE";

        if (channels <= 0)
            throw new AudioDecodeException(name, channels == 0 ? "COMM chunk says zero channels" : $"COMM chunk says {channels} channels", offset);
        if (channels > WavFmtChunk.MaxChannels)
            throw new AudioDecodeException(name, $"COMM chunk says {channels} channels, more than the {WavFmtChunk.MaxChannels} supported", offset);
        if (!(rate >= 0.5 && rate < int.MaxValue))
            throw new AudioDecodeException(name, rate == 0 ? "COMM chunk says a sample rate of 0 Hz" : $"COMM chunk says an implausible sample rate of {rate} Hz", offset);

        var (encoding, bigEndian) = SampleEncoding(compression, bits)
            ?? throw new AudioDecodeException(name, Unsupported(compression, bits), offset);
        var format = new WavSampleFormat(encoding, channels, (int)Math.Round(rate), bits, bigEndian);
        if (format.IsFloat) format = format with { ValidBits = format.ContainerBits };
        return (format, frames);
    }

    /// <summary>The IEEE 754 80-bit extended value (sign, 15-bit exponent, 64-bit mantissa with explicit integer bit), or NaN.</summary>
    internal static double ExtendedToDouble(ReadOnlySpan<byte> ext)
    {
        int signExp = BinaryPrimitives.ReadUInt16BigEndian(ext);
        ulong mantissa = BinaryPrimitives.ReadUInt64BigEndian(ext[2..]);
        int exponent = signExp & 0x7FFF;
        if (exponent == 0x7FFF) return double.NaN;
        if (mantissa == 0) return 0;
        double value = Math.ScaleB(mantissa, exponent - 16383 - 63);
        return (signExp & 0x8000) != 0 ? -value : value;
    }

    private static (WavSampleEncoding, bool BigEndian)? SampleEncoding(string compression, int bits)
    {
        bool integerBits = bits is >= 1 and <= 32;
        return compression switch
        {
            // AIFF and AIFC "NONE"/"twos" are big-endian two's complement, 8-bit included; "sowt" is the same little-endian.
            "NONE" or "twos" when integerBits => (IntegerEncoding(bits), true),
            "sowt" when integerBits => (IntegerEncoding(bits), false),
            "in24" when bits is > 16 and <= 24 => (WavSampleEncoding.Int24, true),
            "42ni" when bits is > 16 and <= 24 => (WavSampleEncoding.Int24, false),
            "in32" when bits is > 24 and <= 32 => (WavSampleEncoding.Int32, true),
            "23ni" when bits is > 24 and <= 32 => (WavSampleEncoding.Int32, false),
            "raw " when bits == 8 => (WavSampleEncoding.UInt8, true),
            "fl32" or "FL32" => (WavSampleEncoding.Float32, true),
            "fl64" or "FL64" => (WavSampleEncoding.Float64, true),
            _ => null,
        };
    }

    private static WavSampleEncoding IntegerEncoding(int bits) => bits switch
    {
        <= 8 => WavSampleEncoding.Int8,
        <= 16 => WavSampleEncoding.Int16,
        <= 24 => WavSampleEncoding.Int24,
        _ => WavSampleEncoding.Int32,
    };

    private static string Unsupported(string compression, int bits) => compression switch
    {
        "NONE" or "twos" or "sowt" or "in24" or "42ni" or "in32" or "23ni" or "raw " => $"{bits} bits per sample is unsupported for AIFC compression '{compression}'",
        _ => $"unsupported AIFC compression type {WavHeaderParser.Printable(System.Text.Encoding.ASCII.GetBytes(compression))}; only uncompressed PCM and float are decoded",
    };
}
