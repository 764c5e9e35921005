using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// The soxr HQ and torchaudio resamplers stream: whatever the input packet and output block sizes, the samples equal
/// the one-shot result exactly, the length is exact at the end, and the input is never held whole.
/// </summary>
public class UpstreamResamplerStreamTests
{
    public enum Kind { SoxrHq, Torchaudio }

    private static IAudioSource Create(Kind kind, IAudioSource source, int rate, bool leaveOpen = false) =>
        kind == Kind.SoxrHq ? Resamplers.SoxrHq(source, rate, leaveOpen) : Resamplers.Torchaudio(source, rate, leaveOpen);

    private static float[] OneShot(Kind kind, float[] x, int from, int to) =>
        kind == Kind.SoxrHq ? Resamplers.SoxrHq(x, from, to) : Resamplers.Torchaudio(x, from, to);

    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(0.5 * Math.Sin(i * 0.01) + 0.4 * (rng.NextDouble() - 0.5));
        return x;
    }

    /// <summary>Reads with output blocks of random sizes (1 .. maxBlock).</summary>
    private static float[] DrainRandom(IAudioSource source, Random rng, int maxBlock)
    {
        var result = new List<float>();
        var buffer = new float[maxBlock];
        while (true)
        {
            int n = source.Read(buffer.AsSpan(0, rng.Next(1, maxBlock + 1)));
            if (n == 0) break;
            result.AddRange(buffer.AsSpan(0, n));
        }
        Assert.Equal(0, source.Read(buffer)); // stays at the end
        return result.ToArray();
    }

    [Theory]
    [InlineData(Kind.SoxrHq, 44100, 24000)]
    [InlineData(Kind.SoxrHq, 48000, 24000)]
    [InlineData(Kind.SoxrHq, 22050, 24000)]
    [InlineData(Kind.SoxrHq, 16000, 24000)]
    [InlineData(Kind.SoxrHq, 32000, 24000)]
    [InlineData(Kind.SoxrHq, 96000, 24000)]
    [InlineData(Kind.SoxrHq, 176400, 24000)]
    [InlineData(Kind.SoxrHq, 8000, 24000)]
    [InlineData(Kind.Torchaudio, 44100, 24000)]
    [InlineData(Kind.Torchaudio, 48000, 24000)]
    [InlineData(Kind.Torchaudio, 22050, 24000)]
    [InlineData(Kind.Torchaudio, 8000, 24000)]
    [InlineData(Kind.Torchaudio, 96000, 16000)]
    public void RandomBlocksEqualOneShot(Kind kind, int from, int to)
    {
        var rng = new Random(from + to);
        foreach (int n in new[] { 0, 1, 5, 147, 1000, 44101, 70001 })
        {
            var x = Noise(n, n);
            var expected = OneShot(kind, x, from, to);
            for (int trial = 0; trial < 3; trial++)
            {
                int packet = trial == 0 ? 1 : rng.Next(1, 5000);
                using var source = Create(kind, new ResamplingArraySource(x, from, 1, packet, reportLength: trial != 2), to);
                var actual = DrainRandom(source, rng, trial == 0 ? 7 : 9000);
                Tolerance.AllClose(expected, actual, abs: 0, what: $"{kind} {from}->{to} n={n} packet={packet}");
            }
        }
    }

    [Theory]
    [InlineData(Kind.SoxrHq, 44100, 88200, 48001)]    // librosa: ceil(88200 * (24000/44100)) in float64 = ceil(48000.00000000001)
    [InlineData(Kind.SoxrHq, 44100, 465984, 253597)]
    [InlineData(Kind.SoxrHq, 48000, 96001, 48001)]    // soxr gives round(48000.5) = 48001 samples, fix_length keeps them
    [InlineData(Kind.SoxrHq, 48000, 96003, 48002)]
    [InlineData(Kind.Torchaudio, 44100, 88200, 48000)]
    [InlineData(Kind.Torchaudio, 44100, 465984, 253597)]
    [InlineData(Kind.Torchaudio, 48000, 96001, 48001)]
    public void LengthIsUpstreams(Kind kind, int from, int n, int expectedLength)
    {
        var x = Noise(n, 3);
        using var source = Create(kind, new ResamplingArraySource(x, from, 1), 24000);
        Assert.Equal(expectedLength, source.TotalFrames);
        Assert.Equal(expectedLength, source.ReadAll().Length);
    }

    [Fact]
    public void SoxrPadsWithZerosWhereSoxrStopsShortOfFixLength()
    {
        // 1000 samples at 44.1 kHz: soxr produces round(544.22) = 544, librosa pads to ceil = 545 with a zero.
        var x = Noise(1000, 9);
        var y = Resamplers.SoxrHq(x, 44100, 24000);
        Assert.Equal(545, y.Length);
        Assert.Equal(0f, y[544]);
        Assert.NotEqual(0f, y[543]);
    }

    [Theory]
    [InlineData(Kind.SoxrHq)]
    [InlineData(Kind.Torchaudio)]
    public void SameRatePassesThroughAndLeaveOpenIsHonoured(Kind kind)
    {
        var x = Noise(1234, 1);
        var input = new ResamplingArraySource(x, 24000, 1);
        using (var same = Create(kind, input, 24000, leaveOpen: true))
            Assert.Equal(x, same.ReadAll());
        Assert.False(input.Disposed);

        var input2 = new ResamplingArraySource(x, 44100, 1);
        using (Create(kind, input2, 24000, leaveOpen: true)) { }
        Assert.False(input2.Disposed);
        var input3 = new ResamplingArraySource(x, 44100, 1);
        using (Create(kind, input3, 24000)) { }
        Assert.True(input3.Disposed);
    }

    [Theory]
    [InlineData(Kind.SoxrHq)]
    [InlineData(Kind.Torchaudio)]
    public void RefusesMultiChannelInput(Kind kind)
    {
        var ex = Assert.Throws<ArgumentException>(() => Create(kind, new ResamplingArraySource(new float[10], 44100, 2), 24000));
        Assert.Contains("mono", ex.Message);
    }

    [Theory]
    [InlineData(Kind.SoxrHq)]
    [InlineData(Kind.Torchaudio)]
    public void MemoryStaysBoundedOnALongStream(Kind kind)
    {
        // Ten minutes of 44.1 kHz generated on the fly: the resampler must not accumulate its input.
        var source = new GeneratedSource(44100, 44100L * 600);
        using var resampled = Create(kind, source, 24000);
        var block = new float[4096];
        long total = 0;
        int n;
        long before = GC.GetAllocatedBytesForCurrentThread();
        while ((n = resampled.Read(block)) > 0) total += n;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(kind == Kind.SoxrHq ? Resamplers.LibrosaFixedLength(44100L * 600, 44100, 24000) : 24000L * 600, total);
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated while streaming 10 minutes");
    }

    /// <summary>A long deterministic signal produced block by block (never held whole).</summary>
    private sealed class GeneratedSource(int sampleRate, long frames) : IAudioSource
    {
        private long _position;
        public int SampleRate => sampleRate;
        public int Channels => 1;
        public long? TotalFrames => frames;

        public int Read(Span<float> interleaved)
        {
            int n = (int)Math.Min(interleaved.Length, frames - _position);
            for (int i = 0; i < n; i++) interleaved[i] = MathF.Sin((_position + i) * 0.031f) * 0.5f;
            _position += n;
            return n;
        }

        public void Dispose() { }
    }
}
