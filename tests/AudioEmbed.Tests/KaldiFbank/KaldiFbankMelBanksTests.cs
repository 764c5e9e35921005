using AudioEmbed.Core.Dsp;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.KaldiFbank;

public class KaldiFbankMelBanksTests
{
    private readonly ITestOutputHelper _output;

    public KaldiFbankMelBanksTests(ITestOutputHelper output) => _output = output;

    [SkippableFact]
    public void MelBanks_256x512_MatchTorchaudioGetMelBanks()
    {
        var expected = SharedData.Npy("fixtures", "encodecmae", "fbank", "mel_banks_256x512.npy");
        Assert.Equal(new[] { 256, 512 }, expected.Shape);
        var actual = KaldiFbankMelBanks.Compute(256, 1024, 24000, 20, 0);
        var exp = expected.ToFloat32();
        int differing = 0;
        for (int i = 0; i < exp.Length; i++) if (exp[i] != actual[i]) differing++;
        _output.WriteLine($"mel banks max |diff| {Tolerance.MaxAbsDiff(exp, actual):E3}, {differing} of {exp.Length} weights not bit-identical");
        // The same float32 arithmetic as torchaudio; only libm's last-ulp differences in log may remain.
        // A weight is a ratio of mel differences (~11.5 mel apart), so 1e-6 allows a few ulps of the mel values.
        Tolerance.AllClose(exp, actual, abs: 1e-6, what: "Kaldi mel banks");
    }

    [Fact]
    public void MelBanks_EncodecMaeLayout_HasTheDocumentedEmptyFiltersAndAZeroNyquistColumn()
    {
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        var bank = fbank.Filterbank;
        Assert.Equal(256, bank.MelCount);
        Assert.Equal(513, bank.BinCount);
        var w = bank.Weights;
        var empty = new List<int>();
        for (int m = 0; m < 256; m++)
        {
            Assert.Equal(0f, w[m * 513 + 512]);
            bool any = false;
            for (int k = 0; k < 513; k++) any |= w[m * 513 + k] != 0;
            if (!any) empty.Add(m);
        }
        // Low mel triangles are narrower than one 23.4 Hz FFT bin, so some contain no bin centre at all.
        Assert.Equal(new[] { 1, 4, 9, 14, 19 }, empty);
    }

    [Fact]
    public void MelBanks_TrianglesPeakNearOneAndStayWithinTheirEdges()
    {
        var w = KaldiFbankMelBanks.Compute(23, 512, 16000, 20, 0);
        for (int m = 0; m < 23; m++)
        {
            float max = 0;
            for (int k = 0; k < 256; k++)
            {
                float v = w[m * 256 + k];
                Assert.InRange(v, 0f, 1f);
                max = Math.Max(max, v);
            }
            Assert.True(max > 0.5f, $"triangle {m} peaks at {max}");
        }
        // Bin 0 (0 Hz) lies below the 20 Hz low edge.
        for (int m = 0; m < 23; m++) Assert.Equal(0f, w[m * 256]);
    }

    [Theory]
    [InlineData(3, 512, 16000, 20, 0)]     // too few bins
    [InlineData(23, 511, 16000, 20, 0)]    // odd FFT length
    [InlineData(23, 512, 16000, 8000, 0)]  // low = Nyquist
    [InlineData(23, 512, 16000, 20, 9000)] // high above Nyquist
    [InlineData(23, 512, 16000, 4000, 3000)]
    [InlineData(23, 512, 0, 20, 0)]
    public void MelBanks_BadArguments_Throw(int bins, int padded, double sr, double low, double high)
    {
        Assert.ThrowsAny<ArgumentException>(() => KaldiFbankMelBanks.Compute(bins, padded, sr, low, high));
    }
}
