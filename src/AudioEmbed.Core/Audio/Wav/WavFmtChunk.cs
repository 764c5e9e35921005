using System.Buffers.Binary;

namespace AudioEmbed.Core.Audio.Wav;

/// <summary>
/// Parses and validates the body of a WAV "fmt " chunk (WAVEFORMAT, WAVEFORMATEX or WAVEFORMATEXTENSIBLE)
/// into a <see cref="WavSampleFormat"/>, rejecting anything the converter cannot decode with a precise reason.
/// </summary>
internal static class WavFmtChunk
{
    public const ushort TagPcm = 0x0001;
    public const ushort TagIeeeFloat = 0x0003;
    public const ushort TagExtensible = 0xFFFE;

    /// <summary>The longest fmt body we look at: WAVEFORMATEXTENSIBLE is 40 bytes; anything after is ignored.</summary>
    public const int MaxBodyBytes = 40;

    /// <summary>Most channels accepted: far above any real layout, low enough that a per-frame buffer stays small.</summary>
    public const int MaxChannels = 256;

    // KSDATAFORMAT_SUBTYPE_* GUIDs share these last 14 bytes; the first two carry the plain format tag.
    private static ReadOnlySpan<byte> SubformatGuidTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <param name="body">The chunk body (up to <see cref="MaxBodyBytes"/>).</param>
    /// <param name="declaredSize">The chunk's size field, to tell a short chunk from a short read.</param>
    public static WavSampleFormat Parse(ReadOnlySpan<byte> body, long declaredSize, string name, long offset)
    {
        if (declaredSize < 16)
            throw new AudioDecodeException(name, $"fmt chunk is {declaredSize} bytes, shorter than the 16 a PCM format needs", offset);

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(body);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(body[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
        int validBits = bits;
        bool extensible = tag == TagExtensible;

        if (extensible)
        {
            if (declaredSize < 40 || body.Length < 40)
                throw new AudioDecodeException(name, $"WAVE_FORMAT_EXTENSIBLE fmt chunk is {declaredSize} bytes, shorter than 40", offset);
            validBits = BinaryPrimitives.ReadUInt16LittleEndian(body[18..]);
            var guid = body.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubformatGuidTail))
                throw new AudioDecodeException(name, $"unsupported WAVE_FORMAT_EXTENSIBLE subformat {new Guid(guid)}", offset);
            tag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            // Some writers leave wValidBitsPerSample at 0 meaning "all of the container".
            if (validBits == 0) validBits = bits;
        }

        if (tag != TagPcm && tag != TagIeeeFloat)
            throw new AudioDecodeException(name, $"unsupported format tag 0x{tag:X4} ({TagName(tag)}){(extensible ? " in WAVE_FORMAT_EXTENSIBLE" : "")}; only PCM and IEEE float are decoded", offset);
        if (channels == 0)
            throw new AudioDecodeException(name, "fmt chunk says zero channels", offset);
        if (channels > MaxChannels)
            throw new AudioDecodeException(name, $"fmt chunk says {channels} channels, more than the {MaxChannels} supported", offset);
        if (sampleRate == 0)
            throw new AudioDecodeException(name, "fmt chunk says a sample rate of 0 Hz", offset);
        if (sampleRate > int.MaxValue)
            throw new AudioDecodeException(name, $"fmt chunk says an implausible sample rate of {sampleRate} Hz", offset);

        var encoding = tag == TagIeeeFloat ? FloatEncoding(bits) : IntegerEncoding(bits);
        if (encoding is null)
            throw new AudioDecodeException(name, $"{bits} bits per sample is unsupported for {(tag == TagIeeeFloat ? "IEEE float (32 or 64 are)" : "PCM (1 to 32 are)")}", offset);
        var format = new WavSampleFormat(encoding.Value, channels, (int)sampleRate, tag == TagIeeeFloat ? bits : validBits);
        if (validBits > format.ContainerBits || validBits < 1)
            throw new AudioDecodeException(name, $"{validBits} valid bits per sample does not fit a {format.ContainerBits}-bit container", offset);
        if (blockAlign != format.BlockAlign)
            throw new AudioDecodeException(name, $"block align {blockAlign} does not match {channels} channel(s) of {format.ContainerBytes} byte(s) (expected {format.BlockAlign})", offset);
        return format;
    }

    /// <summary>Plain PCM stores a sample in the smallest whole number of bytes, left-justified (e.g. 12-bit in 16).</summary>
    private static WavSampleEncoding? IntegerEncoding(int bits) => bits switch
    {
        >= 1 and <= 8 => WavSampleEncoding.UInt8,
        <= 16 and > 8 => WavSampleEncoding.Int16,
        <= 24 and > 16 => WavSampleEncoding.Int24,
        <= 32 and > 24 => WavSampleEncoding.Int32,
        _ => null,
    };

    private static WavSampleEncoding? FloatEncoding(int bits) => bits switch
    {
        32 => WavSampleEncoding.Float32,
        64 => WavSampleEncoding.Float64,
        _ => null,
    };

    /// <summary>Names of the tags people actually meet, so the error says what the file is.</summary>
    internal static string TagName(ushort tag) => tag switch
    {
        0x0000 => "unknown",
        0x0001 => "PCM",
        0x0002 => "Microsoft ADPCM",
        0x0003 => "IEEE float",
        0x0006 => "A-law",
        0x0007 => "mu-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer III",
        0x00FF => "AAC",
        0x0161 or 0x0162 or 0x0163 => "Windows Media Audio",
        0x1610 => "HE-AAC",
        0x2000 => "AC-3",
        0xF1AC => "FLAC",
        0xFFFE => "extensible",
        _ => "not a known codec",
    };
}
