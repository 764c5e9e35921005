using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// Rates whose ratio to the target is not a small fraction (44,056 Hz NTSC-derived audio, 7,999 Hz) take libsoxr's
/// interpolated polyphase stage. No fixture holds libsoxr's output for them (the ones in ../shared are all rational),
/// so these check what the stage must do: a tone well inside the pass-band comes out as the same tone at the new rate,
/// and the stream equals the one-shot result whatever the block sizes.
/// </summary>
public class SoxrHqInterpolatedTests
{
    [Theory]
    [InlineData(44056, 24000, 1000.0)]
    [InlineData(7999, 24000, 440.0)]
    [InlineData(96001, 24000, 3000.0)]
    [InlineData(44100, 23999, 5000.0)]
    public void AToneComesOutAsTheSameTone(int from, int to, double hz)
    {
        Assert.Contains("interpolated polyphase", Resamplers.DescribeSoxrHq(from, to));
        int n = from * 2;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / from));
        var y = Resamplers.SoxrHq(x, from, to);
        Assert.Equal(Resamplers.LibrosaFixedLength(n, from, to), y.Length);
        // Away from the edges (where the filter sees the zeros around the signal) the output is the tone sampled at
        // the new rate: 20-bit HQ filters, float32 arithmetic.
        double worst = 0;
        for (int k = to / 10; k < y.Length - to / 10; k++)
            worst = Math.Max(worst, Math.Abs(y[k] - 0.5 * Math.Sin(2 * Math.PI * hz * k / to)));
        Assert.True(worst < 2e-5, $"{from} -> {to}: max |error| {worst:E2} against the ideal tone");
    }

    [Fact]
    public void StreamsLikeTheRationalStages()
    {
        var rng = new Random(17);
        var x = new float[30011];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() - 0.5);
        var expected = Resamplers.SoxrHq(x, 44056, 24000);
        var buffer = new float[5000];
        foreach (int packet in new[] { 1, 333, 4096 })
        {
            using var source = Resamplers.SoxrHq(new ResamplingArraySource(x, 44056, 1, packet), 24000);
            var actual = new List<float>();
            int got;
            while ((got = source.Read(buffer.AsSpan(0, rng.Next(1, buffer.Length)))) > 0) actual.AddRange(buffer.AsSpan(0, got));
            Tolerance.AllClose(expected, actual.ToArray(), abs: 0, what: $"packet {packet}");
        }
    }
}
