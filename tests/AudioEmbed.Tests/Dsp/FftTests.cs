using AudioEmbed.Core.Dsp;

namespace AudioEmbed.Tests.Dsp;

public class FftTests
{
    /// <summary>Reference: the DFT by its definition, angles reduced mod n so the twiddles stay exact.</summary>
    private static (double[] Re, double[] Im) NaiveDft(double[] re, double[] im)
    {
        int n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++)
            {
                double angle = -2.0 * Math.PI * ((long)j * k % n) / n;
                double c = Math.Cos(angle), s = Math.Sin(angle);
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            outRe[k] = sr; outIm[k] = si;
        }
        return (outRe, outIm);
    }

    private static double[] RandomSignal(Random rng, int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.NextDouble() * 2 - 1;
        return x;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(1024)]
    public void ComplexFft_MatchesNaiveDft(int n)
    {
        var rng = new Random(1234 + n);
        var re = RandomSignal(rng, n);
        var im = RandomSignal(rng, n);
        var (expRe, expIm) = NaiveDft(re, im);
        ComplexFft.ForSize(n).Forward(re, im);
        // Values are O(sqrt n); double round-off of both methods stays far below 1e-12 * n.
        double tol = 1e-12 * Math.Max(1, n);
        for (int k = 0; k < n; k++)
        {
            Assert.True(Math.Abs(expRe[k] - re[k]) <= tol, $"re[{k}] {re[k]} vs {expRe[k]}");
            Assert.True(Math.Abs(expIm[k] - im[k]) <= tol, $"im[{k}] {im[k]} vs {expIm[k]}");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(512)]
    [InlineData(2048)]
    public void RealFft_MatchesNaiveDftOfRealSignal(int n)
    {
        var rng = new Random(99 + n);
        var x = RandomSignal(rng, n);
        var (expRe, expIm) = NaiveDft(x, new double[n]);
        var fft = RealFft.ForSize(n);
        var re = new double[fft.BinCount];
        var im = new double[fft.BinCount];
        fft.Forward(x, re, im);
        double tol = 1e-12 * n;
        for (int k = 0; k <= n / 2; k++)
        {
            Assert.True(Math.Abs(expRe[k] - re[k]) <= tol, $"n={n} re[{k}] {re[k]} vs {expRe[k]}");
            Assert.True(Math.Abs(expIm[k] - im[k]) <= tol, $"n={n} im[{k}] {im[k]} vs {expIm[k]}");
        }
        Assert.Equal(0.0, im[0]);
        Assert.Equal(0.0, im[n / 2]);
    }

    [Fact]
    public void RealFft_FloatInputEqualsDoubleInput()
    {
        var rng = new Random(7);
        var xf = new float[512];
        for (int i = 0; i < xf.Length; i++) xf[i] = (float)(rng.NextDouble() * 2 - 1);
        var xd = Array.ConvertAll(xf, v => (double)v);
        var fft = RealFft.ForSize(512);
        double[] re1 = new double[257], im1 = new double[257], re2 = new double[257], im2 = new double[257];
        fft.Forward(xf, re1, im1);
        fft.Forward(xd, re2, im2);
        Assert.Equal(re2, re1);
        Assert.Equal(im2, im1);
    }

    [Fact]
    public void RealFft_PureToneLandsInItsBin()
    {
        const int n = 512, bin = 37;
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.Cos(2 * Math.PI * bin * i / n);
        var re = new double[257];
        var im = new double[257];
        RealFft.ForSize(n).Forward(x, re, im);
        for (int k = 0; k < 257; k++)
        {
            double magnitude = Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
            Assert.Equal(k == bin ? n / 2.0 : 0.0, magnitude, 9);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    [InlineData(-8)]
    public void InvalidSizes_AreRejected(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComplexFft.ForSize(n));
        Assert.Throws<ArgumentOutOfRangeException>(() => RealFft.ForSize(n));
    }

    [Fact]
    public void WrongSpanLengths_AreRejected()
    {
        var fft = RealFft.ForSize(8);
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[7], new double[5], new double[5]));
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[8], new double[4], new double[5]));
        Assert.Throws<ArgumentException>(() => ComplexFft.ForSize(8).Forward(new double[8], new double[4]));
    }

    [Fact]
    public void InstancesAreSharedPerSize()
    {
        Assert.Same(RealFft.ForSize(512), RealFft.ForSize(512));
        Assert.Same(ComplexFft.ForSize(256), ComplexFft.ForSize(256));
    }
}
