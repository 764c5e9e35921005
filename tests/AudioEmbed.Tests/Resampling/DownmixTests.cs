using AudioEmbed.Core.Audio;

namespace AudioEmbed.Tests.Resampling;

/// <summary>Mono = float32 mean of the channels, like numpy's mean; mono passes through.</summary>
public class DownmixTests
{
    [Fact]
    public void StereoIsHalfTheFloatSum()
    {
        var x = new float[] { 1f, 0.5f, -0.25f, 0.1f, 0.3f, 0.7f, 1.1f, 1.2f };
        var mono = Downmix.ToMono(x, 2);
        Assert.Equal(new[] { (1f + 0.5f) / 2f, (-0.25f + 0.1f) / 2f, (0.3f + 0.7f) / 2f, (1.1f + 1.2f) / 2f }, mono);
    }

    [Fact]
    public void ThreeChannelsSumSequentiallyThenDivide()
    {
        var x = new float[] { 0.1f, 0.2f, 0.4f, -1f, 1f, 3e-8f };
        var mono = Downmix.ToMono(x, 3);
        float a = 0.1f; a += 0.2f; a += 0.4f;
        float b = -1f; b += 1f; b += 3e-8f;
        Assert.Equal(new[] { a / 3f, b / 3f }, mono);
    }

    [SkippableFact]
    public void SourceMatchesSpanVersionOnMusicnnDecode()
    {
        // That this mean equals numpy's is checked end to end by ResamplingMusicnnTests (waveform_16k, bit-exact);
        // here the streaming wrapper, with odd block sizes, must give the span version's samples.
        var decoded = SharedData.Npy("fixtures", "musicnn", "TRWJAZW128F42760DD_test", "decoded_native.npy").ToFloat32();
        var expected = Downmix.ToMono(decoded, 2);
        using var source = new MonoDownmixSource(new ResamplingArraySource(decoded, 22050, 2, 1000));
        Assert.Equal(1, source.Channels);
        Assert.Equal(22050, source.SampleRate);
        Assert.Equal(660340L, source.TotalFrames);
        var block = new float[777];
        var got = new List<float>();
        int n;
        while ((n = source.Read(block)) > 0) got.AddRange(block.AsSpan(0, n));
        Assert.Equal(expected, got.ToArray());
    }

    [Fact]
    public void MonoPassesThroughUntouched()
    {
        var x = new float[] { 0.5f, -2f, float.Epsilon };
        Assert.Equal(x, Downmix.ToMono(x, 1));
        using var source = new MonoDownmixSource(new ResamplingArraySource(x, 8000, 1));
        Assert.Equal(x, source.ReadAll());
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        Assert.Throws<ArgumentException>(() => Downmix.ToMono(new float[4], 0));
        Assert.Throws<ArgumentException>(() => Downmix.ToMono(new float[5], 2));
        Assert.Throws<ArgumentException>(() => Downmix.ToMono(new float[4], 2, new float[1]));
    }
}
