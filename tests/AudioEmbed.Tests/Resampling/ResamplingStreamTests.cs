using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>The streaming resampler must give exactly the array resampler's samples (tolerance 0) whatever the block sizes.</summary>
public class ResamplingStreamTests
{
    private static float[] Drain(IAudioSource source, int block)
    {
        var result = new List<float>();
        var buffer = new float[block];
        int n;
        while ((n = source.Read(buffer)) > 0) result.AddRange(buffer.AsSpan(0, n));
        Assert.Equal(0, source.Read(buffer)); // stays at the end
        return result.ToArray();
    }

    [SkippableTheory]
    [InlineData(ResampyVersion.V0_4_2, ResampyFilter.KaiserBest, 44100, 16000, 1, 4096)]
    [InlineData(ResampyVersion.V0_4_2, ResampyFilter.KaiserBest, 44100, 16000, 7, 1)]
    [InlineData(ResampyVersion.V0_4_2, ResampyFilter.KaiserBest, 48000, 24000, 4096, 7)]
    [InlineData(ResampyVersion.V0_2_2, ResampyFilter.KaiserBest, 44100, 16000, 4096, 4096)]
    [InlineData(ResampyVersion.V0_2_2, ResampyFilter.KaiserFast, 22050, 16000, 7, 1000)]
    [InlineData(ResampyVersion.V0_2_2, ResampyFilter.KaiserBest, 22050, 24000, 1, 7)]
    [InlineData(ResampyVersion.V0_4_2, ResampyFilter.KaiserFast, 48000, 16000, 100000, 100000)]
    public void StreamEqualsArray(ResampyVersion version, ResampyFilter filter, int from, int to, int outputBlock, int inputBlock)
    {
        var x = ResamplingFixtureTests.Input(from);
        var expected = Resampy.Resample(x, from, to, filter, version);
        // Also the published reference, so the streaming path is tied to resampy itself and not only to the array path.
        var reference = ResamplingFixtureTests.Expected(version == ResampyVersion.V0_2_2 ? "0.2.2" : "0.4.2",
            filter == ResampyFilter.KaiserBest ? "kaiser_best" : "kaiser_fast", from, to);
        using var source = new ResampledSource(new ResamplingArraySource(x, from, 1, inputBlock), to, filter, version);
        Assert.Equal(expected.Length, source.TotalFrames);
        var actual = Drain(source, outputBlock);
        Tolerance.AllClose(expected, actual, abs: 0, what: "stream vs array");
        Tolerance.AllClose(reference, actual, abs: 0, what: "stream vs resampy");
    }

    [Theory]
    [InlineData(ResampyVersion.V0_2_2, 1)]
    [InlineData(ResampyVersion.V0_4_2, 3)]
    public void StreamEqualsArrayWithFixLengthAndUnknownLength(ResampyVersion version, int inputBlock)
    {
        // Synthetic input with a length whose fix_length target is one more than resampy's output.
        var x = new float[10007];
        var rng = new Random(5);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
        var expected = Resampy.ResampleFixLength(x, 22050, 16000, ResampyFilter.KaiserBest, version);
        Assert.Equal(Resampy.FixedLength(x.Length, 22050, 16000), expected.Length);
        using var source = new ResampledSource(new ResamplingArraySource(x, 22050, 1, inputBlock, reportLength: false), 16000,
            ResampyFilter.KaiserBest, version, fixLength: true);
        Assert.Null(source.TotalFrames);
        var actual = Drain(source, 333);
        Tolerance.AllClose(expected, actual, abs: 0, what: "stream with fix_length vs array");
    }

    [Fact]
    public void ShortInputsGiveOnlyWhatResampyWould()
    {
        foreach (int length in new[] { 0, 1, 2, 3, 50, 200 })
        {
            var x = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i)).ToArray();
            var expected = Resampy.ResampleFixLength(x, 44100, 16000, ResampyFilter.KaiserFast, ResampyVersion.V0_2_2);
            Assert.Equal((long)Math.Ceiling(length * (16000.0 / 44100)), expected.Length);
            using var source = new ResampledSource(new ResamplingArraySource(x, 44100, 1, 2), 16000, ResampyFilter.KaiserFast,
                ResampyVersion.V0_2_2, fixLength: true);
            Tolerance.AllClose(expected, Drain(source, 5), abs: 0, what: $"length {length}");
        }
    }

    /// <summary>A source that never ends (like a 2-hour file, only longer) and counts what was pulled from it.</summary>
    private sealed class EndlessSine : IAudioSource
    {
        public long Pulled;
        public int SampleRate => 48000;
        public int Channels => 1;
        public long? TotalFrames => null;
        public int Read(Span<float> interleaved)
        {
            for (int i = 0; i < interleaved.Length; i++) interleaved[i] = (float)Math.Sin(0.01 * Pulled++);
            return interleaved.Length;
        }
        public void Dispose() { }
    }

    [Fact]
    public void StreamingReadsOnlyAsFarAsNeeded()
    {
        var input = new EndlessSine();
        using var source = new ResampledSource(input, 16000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2);
        var block = new float[1000];
        for (int i = 0; i < 100; i++) Assert.Equal(1000, source.Read(block));
        // 100000 outputs at 16 kHz need 300000 inputs plus the right wing; allow two 16384-sample read blocks beyond.
        Assert.InRange(input.Pulled, 300000, 300000 + 2 * 16384 + 2000);
    }

    [Fact]
    public void EqualRatesPassThroughUnchanged()
    {
        var x = new float[] { 0.1f, -0.2f, 0.3f, 1.5f, -1.25f };
        Assert.Equal(x, Resampy.Resample(x, 16000, 16000));
        Assert.Equal(x, Resampy.ResampleFixLength(x, 16000, 16000, ResampyFilter.KaiserFast, ResampyVersion.V0_2_2));
        using var source = new ResampledSource(new ResamplingArraySource(x, 16000, 1, 2), 16000, fixLength: true);
        Assert.Equal(x.Length, source.TotalFrames);
        Assert.Equal(x, Drain(source, 3));
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var x = new float[100];
        Assert.Throws<ArgumentException>(() => Resampy.Resample(x, 0, 16000));
        Assert.Throws<ArgumentException>(() => Resampy.Resample(x, 44100, -1));
        Assert.Throws<ArgumentException>(() => Resampy.FixedLength(10, -5, 16000));
        Assert.Throws<ArgumentException>(() => new ResampledSource(new ResamplingArraySource(x, 0, 1), 16000));
        Assert.Throws<ArgumentException>(() => new ResampledSource(new ResamplingArraySource(x, 44100, 1), 0));
        // A ratio below one table step per output (resampy would divide by zero).
        Assert.Throws<ArgumentException>(() => Resampy.Resample(x, 1_000_000, 100, ResampyFilter.KaiserFast));
        // Stereo must be downmixed first.
        Assert.Throws<ArgumentException>(() => new ResampledSource(new ResamplingArraySource(x, 44100, 2), 16000));
    }

    [Fact]
    public void DisposesInnerSourceUnlessLeftOpen()
    {
        var inner = new ResamplingArraySource(new float[10], 44100, 1);
        new ResampledSource(inner, 16000, leaveOpen: true).Dispose();
        Assert.False(inner.Disposed);
        new ResampledSource(inner, 16000).Dispose();
        Assert.True(inner.Disposed);
    }
}
