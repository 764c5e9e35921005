using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

/// <summary>
/// Synthesised in-memory WAVs for every sample format and 1..8 channels, with expected values computed by the test
/// from the integer/float it wrote (int / 2^(valid bits - 1), u8 (x-128)/128, float64 rounded to float32). Tolerance 0.
/// </summary>
public class WavRoundTripTests
{
    public static TheoryData<WavTestEncoding, int> FormatsAndChannels()
    {
        var data = new TheoryData<WavTestEncoding, int>();
        foreach (var e in WavTestEncoding.All)
            for (int ch = 1; ch <= 8; ch++) data.Add(e, ch);
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndChannels))]
    public void DecodesWhatWasWritten(WavTestEncoding encoding, int channels)
    {
        int frames = 1001 + 37 * channels;
        var (data, expected) = encoding.Signal(frames * channels, seed: channels * 100 + encoding.ContainerBits);
        var wav = WavTestBytes.Wav(encoding.FmtBody(channels, 22050), data);

        using var decoder = WavDecoder.Open(new MemoryStream(wav), "synth.wav");
        Assert.Equal(channels, decoder.Channels);
        Assert.Equal(22050, decoder.SampleRate);
        Assert.Equal(frames, decoder.TotalFrames);
        Assert.Equal(encoding.ValidBits, decoder.BitsPerSample);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: $"{encoding} x{channels}");
    }

    [Theory]
    [MemberData(nameof(FormatsAndChannels))]
    public void PipeWithShortReads_DecodesTheSame(WavTestEncoding encoding, int channels)
    {
        // Short reads (5 bytes at a time) split frames across refills; the carried partial frame must be kept.
        int frames = 300;
        var (data, expected) = encoding.Signal(frames * channels, seed: 7 + channels);
        var wav = WavTestBytes.Wav(encoding.FmtBody(channels, 8000), data);
        using var decoder = WavDecoder.Open(new WavNonSeekableStream(new MemoryStream(wav), 5), "pipe");
        Assert.Equal(frames, decoder.TotalFrames); // from the data size: a pipe has no length to check it against
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: $"{encoding} x{channels} via pipe");
    }

    [Fact]
    public void Rf64_TakesTheDataSizeFromDs64_AndIgnoresWhatFollows()
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "s24");
        var (data, expected) = enc.Signal(2 * 500, seed: 3);
        var wav = WavTestBytes.File("RF64", 0xFFFFFFFF,
            new WavTestBytes.Chunk("ds64", WavTestBytes.Ds64(0, data.Length, 500)),
            new WavTestBytes.Chunk("fmt ", enc.FmtBody(2, 48000)),
            new WavTestBytes.Chunk("data", data, SizeField: 0xFFFFFFFF),
            new WavTestBytes.Chunk("LIST", new byte[101]));
        using var decoder = WavDecoder.Open(new MemoryStream(wav), "rf64.wav");
        Assert.Equal("RF64 PCM 24-bit", decoder.Format);
        Assert.Equal(500, decoder.TotalFrames);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "rf64");
    }

    [Fact]
    public void Streamed_DataSizeZeroWithUnknownRiffSize_ReadsToTheEnd()
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "s16");
        var (data, expected) = enc.Signal(3 * 400, seed: 4);
        var wav = WavTestBytes.File("RIFF", 0,
            new WavTestBytes.Chunk("fmt ", enc.FmtBody(3, 16000)),
            new WavTestBytes.Chunk("data", data, SizeField: 0));
        using var decoder = WavDecoder.Open(new MemoryStream(wav), "streamed.wav");
        Assert.Equal(400, decoder.TotalFrames);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "streamed");

        using var piped = WavDecoder.Open(new WavNonSeekableStream(new MemoryStream(wav), 64), "pipe");
        Assert.Null(piped.TotalFrames);
        Tolerance.AllClose(expected, piped.ReadAll(), abs: 0, what: "streamed via pipe");
    }

    [Fact]
    public void EmptyDataChunk_IsZeroFrames()
    {
        var wav = WavTestBytes.Wav(WavTestBytes.Fmt(1, 2, 44100, 16), []);
        using var decoder = WavDecoder.Open(new MemoryStream(wav), "empty-data.wav");
        Assert.Equal(0, decoder.TotalFrames);
        Assert.Empty(decoder.ReadAll());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnknownAndOddSizedChunks_BeforeAndAfterData_AreSkipped(bool seekable)
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "u8");
        var (data, expected) = enc.Signal(777, seed: 5); // odd data size: a pad byte follows
        var wav = WavTestBytes.File("RIFF", null,
            new WavTestBytes.Chunk("JUNK", new byte[3]),
            new WavTestBytes.Chunk("LIST", "INFOISFT\u0005\0\0\0test\0\0"u8.ToArray()),
            new WavTestBytes.Chunk("fmt ", enc.FmtBody(1, 8000)),
            new WavTestBytes.Chunk("odd1", new byte[9]),
            new WavTestBytes.Chunk("fact", WavTestBytes.U32(777)),
            new WavTestBytes.Chunk("data", data),
            new WavTestBytes.Chunk("id3 ", new byte[33]));
        Stream stream = seekable ? new MemoryStream(wav) : new WavNonSeekableStream(new MemoryStream(wav), 10);
        using var decoder = WavDecoder.Open(stream, "chunks.wav");
        Assert.Equal(777, decoder.TotalFrames);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "chunks");
    }

    [Fact]
    public void OddChunkWithoutItsPadByte_IsRecoveredOnASeekableStream()
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "s16");
        var (data, expected) = enc.Signal(2 * 100, seed: 9);
        var wav = WavTestBytes.File("RIFF", null,
            new WavTestBytes.Chunk("xyzw", new byte[5], Pad: false),
            new WavTestBytes.Chunk("fmt ", enc.FmtBody(2, 8000)),
            new WavTestBytes.Chunk("abcd", [1, 2, 3], Pad: false),
            new WavTestBytes.Chunk("data", data));
        using var decoder = WavDecoder.Open(new MemoryStream(wav), "nopad.wav");
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "missing pad bytes");
    }

    [Fact]
    public void DataChunkBeforeFmt_IsFoundOnASeekableStream()
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "s16");
        var (data, expected) = enc.Signal(2 * 100, seed: 6);
        var wav = WavTestBytes.File("RIFF", null,
            new WavTestBytes.Chunk("data", data),
            new WavTestBytes.Chunk("fmt ", enc.FmtBody(2, 8000)));
        using (var decoder = WavDecoder.Open(new MemoryStream(wav), "data-first.wav"))
            Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "data before fmt");
        var e = Assert.Throws<AudioDecodeException>(() => WavDecoder.Open(new WavNonSeekableStream(new MemoryStream(wav), 100), "pipe"));
        Assert.Contains("before the fmt chunk", e.Problem);
    }

    [Fact]
    public void StartsAtTheStreamsCurrentPosition()
    {
        var enc = WavTestEncoding.All.First(e => e.Name == "s16");
        var (data, expected) = enc.Signal(100, seed: 8);
        var wav = WavTestBytes.Wav(enc.FmtBody(1, 8000), data);
        var ms = new MemoryStream();
        ms.Write(new byte[123]);
        ms.Write(wav);
        ms.Position = 123;
        using var decoder = WavDecoder.Open(ms, "embedded.wav", leaveOpen: true);
        Assert.Equal(44, decoder.DataOffset);
        Assert.Equal(100, decoder.TotalFrames);
        Tolerance.AllClose(expected, decoder.ReadAll(), abs: 0, what: "embedded");
        decoder.Dispose();
        Assert.True(ms.CanRead); // leaveOpen honoured
    }
}
