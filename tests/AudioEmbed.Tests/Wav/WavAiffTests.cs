using System.Buffers.Binary;
using System.Text;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

/// <summary>
/// AIFF/AIFC through <see cref="WavDecoder"/>: files written by Python's aifc module (Data/, see make_aiff_fixtures.py)
/// and synthesised ones for every uncompressed AIFC type. Expected = value / 2^(bits-1), float as stored; tolerance 0.
/// </summary>
public class WavAiffTests
{
    private static string DataFile(string name) => Path.Combine(SharedData.RepoRoot, "tests", "AudioEmbed.Tests", "Wav", "Data", name);

    [Theory]
    [InlineData("aiff_s16_stereo_22050.aiff", 2, 16, 22050, 1000, "AIFF PCM 16-bit big-endian")]
    [InlineData("aifc_s24_mono_44100.aifc", 1, 24, 44100, 777, "AIFC PCM 24-bit big-endian")]
    [InlineData("aiff_s8_3ch_8000.aiff", 3, 8, 8000, 501, "AIFF PCM 8-bit")]
    public void FilesFromAnIndependentWriter_DecodeExactly(string file, int channels, int bits, int rate, int frames, string format)
    {
        using var decoder = WavDecoder.Open(DataFile(file));
        Assert.Equal(channels, decoder.Channels);
        Assert.Equal(rate, decoder.SampleRate);
        Assert.Equal(frames, decoder.TotalFrames);
        Assert.Equal(format, decoder.Format);
        var expected = new float[frames * channels];
        for (int i = 0; i < frames; i++)
            for (int c = 0; c < channels; c++)
                expected[i * channels + c] = (float)((((i * 211L + c * 7919L) % (1L << bits)) - (1L << (bits - 1))) / Math.Pow(2, bits - 1));
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: file);

        var info = WavDecoder.Probe(File.ReadAllBytes(DataFile(file)));
        Assert.Equal(rate, info?.SampleRate);
        Assert.Equal(channels, info?.Channels);
    }

    public static TheoryData<string, int, int> Types() => new()
    {
        { "NONE", 16, 2 }, { "twos", 8, 1 }, { "twos", 12, 2 }, { "sowt", 16, 3 }, { "sowt", 24, 1 }, { "in24", 24, 2 },
        { "42ni", 24, 1 }, { "in32", 32, 2 }, { "23ni", 32, 1 }, { "raw ", 8, 2 }, { "fl32", 32, 2 }, { "FL64", 64, 1 },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void EveryUncompressedAifcType_DecodesWhatWasWritten(string type, int bits, int channels)
    {
        int frames = 257;
        var rng = new Random(bits * 10 + channels);
        bool little = type is "sowt" or "42ni" or "23ni";
        int width = (bits + 7) / 8;
        var data = new byte[frames * channels * width];
        var expected = new float[frames * channels];
        for (int k = 0; k < expected.Length; k++)
        {
            var at = data.AsSpan(k * width, width);
            if (type is "fl32") { float f = (float)(rng.NextDouble() * 2 - 1); BinaryPrimitives.WriteSingleBigEndian(at, f); expected[k] = f; continue; }
            if (type is "FL64") { double d = rng.NextDouble() * 2 - 1; BinaryPrimitives.WriteDoubleBigEndian(at, d); expected[k] = (float)d; continue; }
            long value = rng.NextInt64(-(1L << (bits - 1)), 1L << (bits - 1));
            long stored = (value << (width * 8 - bits)) + (type == "raw " ? 128 : 0);
            for (int b = 0; b < width; b++) at[little ? b : width - 1 - b] = (byte)(stored >> (8 * b));
            expected[k] = (float)(value / Math.Pow(2, bits - 1));
        }
        var aifc = Aifc(type, channels, bits, 48000.0, frames, data);
        using var decoder = WavDecoder.Open(new MemoryStream(aifc), "synth.aifc");
        Assert.Equal(48000, decoder.SampleRate);
        Assert.Equal(frames, decoder.TotalFrames);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: $"AIFC {type} {bits}-bit x{channels}");
    }

    [Theory]
    [InlineData(8000.0)]
    [InlineData(44100.0)]
    [InlineData(192000.0)]
    [InlineData(22254.5454545)]
    public void ExtendedSampleRate_IsRead(double rate)
    {
        var aifc = Aifc("NONE", 1, 16, rate, 2, new byte[4]);
        using var decoder = WavDecoder.Open(new MemoryStream(aifc), "rate.aifc");
        Assert.Equal((int)Math.Round(rate), decoder.SampleRate);
    }

    [Fact]
    public void CompressedAifc_IsRejectedByName()
    {
        var e = Assert.Throws<AudioDecodeException>(() => WavDecoder.Open(new MemoryStream(Aifc("ulaw", 1, 16, 8000, 4, new byte[8])), "ulaw.aifc"));
        Assert.Contains("unsupported AIFC compression type 'ulaw'", e.Problem);
        Assert.Contains("ulaw.aifc", e.Message);
    }

    [Fact]
    public void ZeroRate_AndZeroChannels_AreRejected()
    {
        Assert.Contains("0 Hz", Assert.Throws<AudioDecodeException>(() => WavDecoder.Open(new MemoryStream(Aifc("NONE", 1, 16, 0, 4, new byte[8])), "x.aifc")).Problem);
        Assert.Contains("zero channels", Assert.Throws<AudioDecodeException>(() => WavDecoder.Open(new MemoryStream(Aifc("NONE", 0, 16, 8000, 4, new byte[8])), "x.aifc")).Problem);
    }

    [Fact]
    public void TruncatedSsnd_DecodesTheCompleteFrames_AndPipesWork()
    {
        var data = new byte[100 * 4];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)i;
        var full = Aifc("NONE", 2, 16, 8000, 100, data);
        var cut = full[..^7];
        using (var d = WavDecoder.Open(new MemoryStream(cut), "cut.aifc"))
        {
            Assert.Equal(98, d.TotalFrames);
            Assert.Equal(98 * 2, d.ReadAll().Length);
        }
        using var piped = WavDecoder.Open(new WavNonSeekableStream(new MemoryStream(full), 3), "pipe.aifc");
        Assert.Equal(200, piped.ReadAll().Length);
    }

    /// <summary>An AIFC file: FVER, COMM (with an 80-bit rate and compression type), then SSND with a non-zero offset.</summary>
    private static byte[] Aifc(string type, int channels, int bits, double rate, int frames, byte[] data)
    {
        var comm = new byte[22 + 2];
        BinaryPrimitives.WriteInt16BigEndian(comm, (short)channels);
        BinaryPrimitives.WriteUInt32BigEndian(comm.AsSpan(2), (uint)frames);
        BinaryPrimitives.WriteInt16BigEndian(comm.AsSpan(6), (short)bits);
        Extended(rate).CopyTo(comm, 8);
        Encoding.ASCII.GetBytes(type).CopyTo(comm, 18);
        // comm[22..24]: an empty Pascal name string and its pad.
        var ssnd = new byte[8 + 3 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(ssnd, 3); // offset: three bytes before the first sample
        data.CopyTo(ssnd, 11);

        using var ms = new MemoryStream();
        ms.Write("FORM\0\0\0\0AIFC"u8);
        Chunk(ms, "FVER", [0xA2, 0x80, 0x51, 0x40]);
        Chunk(ms, "COMM", comm);
        Chunk(ms, "SSND", ssnd);
        var bytes = ms.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    private static void Chunk(Stream s, string id, byte[] body)
    {
        s.Write(Encoding.ASCII.GetBytes(id));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(size, (uint)body.Length);
        s.Write(size);
        s.Write(body);
        if (body.Length % 2 == 1) s.WriteByte(0);
    }

    /// <summary>80-bit extended: exponent biased by 16383, 64-bit mantissa with the integer bit explicit.</summary>
    private static byte[] Extended(double value)
    {
        var b = new byte[10];
        if (value == 0) return b;
        int exp = (int)Math.Floor(Math.Log2(value));
        ulong mantissa = (ulong)(value / Math.Pow(2, exp) * Math.Pow(2, 63));
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(exp + 16383));
        BinaryPrimitives.WriteUInt64BigEndian(b.AsSpan(2), mantissa);
        return b;
    }
}
