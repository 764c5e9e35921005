using System.Text.RegularExpressions;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Tests.Wav;

/// <summary>
/// Every fixture in ../shared/fixtures/wav against its .npy reference (float32, shape frames x channels).
/// Tolerance: 0 for all files. The README allows ~3e-8 for s32 and float64 because those references are
/// float32-rounded; this decoder rounds the same way once (int -> float, then an exact power-of-two scale), so it
/// matches bit for bit and the test holds it to that.
/// </summary>
public class WavFixtureTests
{
    public static readonly TheoryData<string> Fixtures = new(
        "pcm_u8_mono_8000", "pcm_s16_stereo_44100", "pcm_s24_stereo_48000", "pcm_s32_mono_96000", "pcm_s16_mono_11025",
        "float32_stereo_22050", "float64_mono_16000", "ext_s16_6ch_48000", "ext_s24_stereo_96000", "ext_float32_stereo_32000",
        "ext_s24in32_mono_44100", "chunks_list_info_before_after", "chunk_odd_size_pad", "pcm_u8_odd_data_pad",
        "streamed_size_ffffffff", "data_size_exceeds_file", "sox_s16_stereo_48000", "ffmpeg_rf64_s16_stereo_48000",
        "ffmpeg_s16_stereo_48000_list", "ffmpeg_s24_6ch_44100", "sox_float32_mono_44100");

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void Decodes_ExactlyAsTheReference(string name)
    {
        var expected = SharedData.Npy("fixtures", "wav", name + ".npy");
        var row = ReadmeRow(name);
        using var decoder = WavDecoder.Open(SharedData.Require("fixtures", "wav", name + ".wav"));

        Assert.Equal(row.Channels, decoder.Channels);
        Assert.Equal(row.Rate, decoder.SampleRate);
        Assert.Equal(row.Frames, decoder.TotalFrames);
        Assert.Equal(new[] { row.Frames, row.Channels }, expected.Shape);
        var actual = decoder.ReadAll();
        Tolerance.AllClose(expected.ToFloat32(), actual, abs: 0, what: name);
        Assert.Equal(0, decoder.Read(new float[64 * decoder.Channels])); // stays at the end
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void OneFrameAtATime_GivesTheSameSamplesAsLargeReads(string name)
    {
        var path = SharedData.Require("fixtures", "wav", name + ".wav");
        float[] whole;
        using (var d = WavDecoder.Open(path)) whole = d.ReadAll();

        foreach (int framesPerRead in new[] { 1, 7, 4095 })
        {
            using var d = WavDecoder.Open(path);
            var got = new List<float>();
            var block = new float[framesPerRead * d.Channels];
            int n;
            while ((n = d.Read(block)) > 0)
            {
                Assert.InRange(n, 1, framesPerRead);
                got.AddRange(block.AsSpan(0, n * d.Channels));
            }
            Assert.Equal(whole, got.ToArray());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Fixtures))]
    public void NonSeekableStream_DecodesTheSame(string name)
    {
        var path = SharedData.Require("fixtures", "wav", name + ".wav");
        float[] expected;
        using (var d = WavDecoder.Open(path)) expected = d.ReadAll();
        using var pipe = new WavNonSeekableStream(new MemoryStream(File.ReadAllBytes(path)), maxPerRead: 1000);
        using var decoder = WavDecoder.Open(pipe, name);
        Assert.Equal(expected, decoder.ReadAll());
    }

    [SkippableFact]
    public void EveryWavInTheFixtureFolder_IsCovered()
    {
        var dir = SharedData.Require("fixtures", "wav");
        var names = Directory.GetFiles(dir, "*.wav").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        var covered = ((IEnumerable<object[]>)Fixtures).Select(r => (string)r[0]).Order().ToArray();
        Assert.Equal(names, covered);
    }

    [SkippableTheory]
    [InlineData("pcm_u8_mono_8000", "PCM 8-bit unsigned", 8)]
    [InlineData("pcm_s24_stereo_48000", "PCM 24-bit", 24)]
    [InlineData("pcm_s32_mono_96000", "PCM 32-bit", 32)]
    [InlineData("float64_mono_16000", "IEEE float 64-bit", 64)]
    [InlineData("ext_float32_stereo_32000", "IEEE float 32-bit", 32)]
    [InlineData("ext_s24in32_mono_44100", "PCM 24-bit in 32-bit container", 24)]
    [InlineData("ffmpeg_rf64_s16_stereo_48000", "RF64 PCM 16-bit", 16)]
    public void Describes_TheFormat(string name, string format, int bits)
    {
        using var decoder = WavDecoder.Open(SharedData.Require("fixtures", "wav", name + ".wav"));
        Assert.Equal(format, decoder.Format);
        Assert.Equal(bits, decoder.BitsPerSample);
    }

    [SkippableFact]
    public void DataOffset_PointsPastTheChunksBeforeData()
    {
        using (var plain = WavDecoder.Open(SharedData.Require("fixtures", "wav", "pcm_s16_stereo_44100.wav")))
            Assert.Equal(44, plain.DataOffset);
        var path = SharedData.Require("fixtures", "wav", "chunks_list_info_before_after.wav");
        using var decoder = WavDecoder.Open(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(bytes, (int)decoder.DataOffset - 8, 4));
        Assert.True(decoder.DataOffset > 44);
    }

    private sealed record Row(int Channels, int Rate, int Frames);

    /// <summary>The README's table row for a fixture: channels, rate and frames as the fixture author documented them.</summary>
    private static Row ReadmeRow(string name)
    {
        var readme = File.ReadAllText(SharedData.Require("fixtures", "wav", "README.md"));
        var m = Regex.Match(readme, $@"^\| {Regex.Escape(name)}\.wav \| [^|]+ \| (\d+) \| (\d+) \| (\d+) \|", RegexOptions.Multiline);
        Assert.True(m.Success, $"README has no table row for {name}.wav");
        return new Row(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value));
    }
}
