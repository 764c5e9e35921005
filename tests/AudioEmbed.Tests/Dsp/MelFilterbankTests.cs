using AudioEmbed.Core.Dsp;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Dsp;

public class MelFilterbankTests
{
    private readonly ITestOutputHelper _output;

    public MelFilterbankTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void Slaney_16k_512_96_MatchesLibrosaWithin1e7()
    {
        var expected = SharedData.Npy("fixtures", "musicnn", "mel_filters_16k_512_96.npy");
        Assert.Equal(new[] { 96, 257 }, expected.Shape);
        var bank = MelFilterbank.Slaney(16000, 512, 96);
        Assert.Equal(96, bank.MelCount);
        Assert.Equal(257, bank.BinCount);
        var exp = expected.ToFloat32();
        var act = bank.Weights.ToArray();
        int differing = 0;
        for (int i = 0; i < exp.Length; i++) if (exp[i] != act[i]) differing++;
        _output.WriteLine($"filterbank max |diff| {Tolerance.MaxAbsDiff(exp, act):E3}, {differing} of {exp.Length} weights not bit-identical");
        Tolerance.AllClose(exp, act, abs: 1e-7, what: "mel filterbank");
    }

    [Fact]
    public void Slaney_TrianglesHaveUnitAreaAndTheFirstPeaksAt31Hz()
    {
        var bank = MelFilterbank.Slaney(16000, 512, 96);
        var w = bank.Weights;
        // 98 mel points from 0 to mel(8000) = 45.245 are 0.4664 mel = 31.1 Hz apart in the linear region:
        // band 0 spans 0 .. 62.2 Hz, so only bin 1 (31.25 Hz) is inside it.
        Assert.Equal(0f, w[0]);
        Assert.True(w[1] > 0.03f);
        Assert.Equal(0f, w[2]);
        // Slaney normalisation gives every triangle area 1 (Hz x weight); wide upper bands are sampled finely enough to check.
        for (int m = 60; m < 96; m++)
        {
            double area = 0;
            for (int k = 0; k < 257; k++) area += w[m * 257 + k] * 31.25;
            Assert.InRange(area, 0.97, 1.03);
        }
    }

    [Fact]
    public void Apply_EqualsDenseProduct()
    {
        var bank = MelFilterbank.Slaney(16000, 512, 96);
        var rng = new Random(5);
        var power = new float[257];
        for (int k = 0; k < power.Length; k++) power[k] = (float)(rng.NextDouble() * 100);
        var mel = new float[96];
        bank.Apply(power, mel);
        var w = bank.Weights;
        for (int m = 0; m < 96; m++)
        {
            double dense = 0;
            for (int k = 0; k < 257; k++) dense += (double)w[m * 257 + k] * power[k];
            Assert.Equal((float)dense, mel[m]);
        }
    }

    [Fact]
    public void NoNorm_PeaksAtOne()
    {
        var bank = MelFilterbank.Slaney(16000, 2048, 40, norm: MelNorm.None);
        var w = bank.Weights;
        for (int m = 0; m < 40; m++)
        {
            float peak = 0;
            for (int k = 0; k < bank.BinCount; k++) peak = Math.Max(peak, w[m * bank.BinCount + k]);
            Assert.InRange(peak, 0.9f, 1.0f);
        }
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterbank.Slaney(0, 512, 96));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterbank.Slaney(16000, 512, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MelFilterbank.Slaney(16000, 512, 96, fMin: 9000, fMax: 8000));
        Assert.Throws<ArgumentException>(() => new MelFilterbank(new float[10], 3, 4));
        var bank = MelFilterbank.Slaney(16000, 512, 96);
        Assert.Throws<ArgumentException>(() => bank.Apply(new float[256], new float[96]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(500.0)]
    [InlineData(1000.0)]
    [InlineData(4321.0)]
    public void MelScale_RoundTrips(double hz)
    {
        Assert.Equal(hz, MelScale.MelToHzSlaney(MelScale.HzToMelSlaney(hz)), 9);
        Assert.Equal(hz, MelScale.MelToHzHtk(MelScale.HzToMelHtk(hz)), 9);
        Assert.Equal(15.0, MelScale.HzToMelSlaney(1000.0), 12);
    }
}
