using AudioEmbed.Core.Dsp;

namespace AudioEmbed.Tests.Dsp;

public class StftTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(255, 1)]
    [InlineData(256, 2)]
    [InlineData(479159, 1872)]
    [InlineData(465984, 1821)]
    public void CentredFrameCount_IsOnePlusLengthOverHop(long samples, int frames)
    {
        var stft = new Stft(StftOptions.Librosa(512, 256));
        Assert.Equal(frames, stft.FrameCount(samples));
    }

    [Fact]
    public void UncentredFrameCount_NeedsAWholeWindow()
    {
        var stft = new Stft(new StftOptions(8, 4, WindowFunctions.Rectangular(8), center: false));
        Assert.Equal(0, stft.FrameCount(7));
        Assert.Equal(1, stft.FrameCount(8));
        Assert.Equal(2, stft.FrameCount(12));
    }

    [Fact]
    public void ReflectIndex_FollowsNumpyPadReflect()
    {
        // np.pad([1,2,3], 5, mode='reflect') = [2,1,2,3,2, 1,2,3, 2,1,2,3,2]
        long[] expected = { 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1 };
        for (int p = 0; p < expected.Length; p++)
            Assert.Equal(expected[p], Stft.ReflectIndex(p - 5, 3));
        Assert.Equal(0, Stft.ReflectIndex(-4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Stft.ReflectIndex(0, 0));
    }

    [Fact]
    public void Window_PeriodicHannIsTheFftConvention()
    {
        var w = WindowFunctions.Hann(512);
        Assert.Equal(0.0, w[0]);
        Assert.Equal(1.0, w[256], 15);
        Assert.Equal(w[1], w[511], 15); // periodic: symmetric around 256, w[512] would be 0
        var s = WindowFunctions.Hann(5, periodic: false);
        Assert.Equal(new[] { 0.0, 0.5, 1.0, 0.5, 0.0 }, s.Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void Window_HammingPoveyAndRectangular()
    {
        var hamming = WindowFunctions.Hamming(4);
        Assert.Equal(new[] { 0.08, 0.54, 1.0, 0.54 }, hamming.Select(v => Math.Round(v, 12)).ToArray());
        var povey = WindowFunctions.Povey(5); // symmetric Hann [0, .5, 1, .5, 0] to the power 0.85
        Assert.Equal(0.0, povey[0]);
        Assert.Equal(Math.Pow(0.5, 0.85), povey[1], 12);
        Assert.Equal(1.0, povey[2], 12);
        Assert.Equal(povey[1], povey[3], 12);
        Assert.All(WindowFunctions.Rectangular(3), v => Assert.Equal(1.0, v));
        Assert.Equal(new[] { 1.0 }, WindowFunctions.Hann(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowFunctions.Hann(0));
    }

    [Fact]
    public void CentredReflectFrames_EqualAnExplicitlyPaddedUncentredStft()
    {
        var rng = new Random(3);
        var signal = new float[1000];
        for (int i = 0; i < signal.Length; i++) signal[i] = (float)(rng.NextDouble() * 2 - 1);
        var padded = new float[signal.Length + 64];
        for (int p = 0; p < padded.Length; p++) padded[p] = signal[Stft.ReflectIndex(p - 32, signal.Length)];

        var centred = new Stft(new StftOptions(64, 16, WindowFunctions.Hann(64)));
        var plain = new Stft(new StftOptions(64, 16, WindowFunctions.Hann(64), center: false));
        var a = centred.PowerSpectrogram(signal);
        var b = plain.PowerSpectrogram(padded);
        Assert.Equal(1 + 1000 / 16, centred.FrameCount(1000));
        Assert.Equal(b, a);
    }

    [Fact]
    public void PowerSpectrogram_IsComplex64MagnitudeSquared_BitForBit()
    {
        // Reference written plainly: window x sample in double, rfft, round re/im to float, hypot in double
        // rounded to float, squared in float. The library's vectorised path must give the same bits.
        var rng = new Random(21);
        var signal = new float[5000];
        for (int i = 0; i < signal.Length; i++) signal[i] = (float)(rng.NextDouble() * 2 - 1);
        var stft = new Stft(StftOptions.Librosa(512, 256));
        var window = WindowFunctions.Hann(512);
        var actual = stft.PowerSpectrogram(signal);
        int frames = stft.FrameCount(signal.Length);
        var frame = new double[512];
        var re = new double[257];
        var im = new double[257];
        for (int t = 0; t < frames; t++)
        {
            for (int j = 0; j < 512; j++)
                frame[j] = window[j] * signal[Stft.ReflectIndex(t * 256 - 256 + j, signal.Length)];
            RealFft.ForSize(512).Forward(frame, re, im);
            for (int k = 0; k < 257; k++)
            {
                float r = (float)re[k], q = (float)im[k];
                float magnitude = (float)Math.Sqrt((double)r * r + (double)q * q);
                Assert.Equal(magnitude * magnitude, actual[t * 257 + k]);
            }
        }
    }

    [Fact]
    public void ConstantPadding_UsesZeros()
    {
        var signal = new float[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        var stft = new Stft(new StftOptions(4, 2, WindowFunctions.Rectangular(4), padMode: StftPadMode.Constant));
        var power = stft.PowerSpectrogram(signal);
        Assert.Equal(5, stft.FrameCount(8));
        // Frame 0 covers padded [0, 0, 1, 2]: DC bin = 3, power 9.
        Assert.Equal(9f, power[0]);
        // Frame 4 covers [7, 8, 0, 0]: DC 15 -> 225.
        Assert.Equal(225f, power[4 * 3]);
    }

    [Fact]
    public void EmptySignal_HasNoFrames()
    {
        var stft = new Stft(StftOptions.Librosa(512, 256));
        Assert.Empty(stft.PowerSpectrogram(ReadOnlySpan<float>.Empty));
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StftOptions(500, 256, new double[500]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StftOptions(512, 0, new double[512]));
        Assert.Throws<ArgumentException>(() => new StftOptions(512, 256, new double[400]));
    }
}
