using AudioEmbed.Core.Dsp;

namespace AudioEmbed.Tests.KaldiFbank;

/// <summary>Framing, edge cases and option validation of <see cref="Core.Dsp.KaldiFbank"/> (no reference data needed).</summary>
public class KaldiFbankBehaviourTests
{
    private static float[] Noise(int n, int seed = 1)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * 0.5f;
        return x;
    }

    [Fact]
    public void EncodecMaePreset_HasTheDocumentedGeometry()
    {
        var o = KaldiFbankOptions.EncodecMaeMel256;
        Assert.Equal(637, o.WindowSize);  // int(24000 * 26.56 * 0.001) = int(637.44)
        Assert.Equal(318, o.WindowShift); // int(318.72)
        Assert.Equal(1024, o.PaddedWindowSize);
        var fbank = new Core.Dsp.KaldiFbank(o);
        Assert.Equal(256, fbank.MelCount);
        Assert.Equal(0f, fbank.Window[0]);
        Assert.Equal(0f, fbank.Window[636]);
        Assert.Equal(1f, fbank.Window[318], 6);
    }

    [Fact]
    public void Defaults_AreTorchaudios()
    {
        var o = new KaldiFbankOptions();
        Assert.Equal(400, o.WindowSize);
        Assert.Equal(160, o.WindowShift);
        Assert.Equal(512, o.PaddedWindowSize);
        Assert.Equal(23, o.NumMelBins);
        Assert.Equal(KaldiFbankWindowType.Povey, o.WindowType);
        Assert.True(o.SnipEdges && o.RemoveDcOffset && o.RoundToPowerOfTwo && o.UsePower && o.UseLogFbank);
        Assert.Equal(0.97, o.PreemphasisCoefficient);
        Assert.Equal(0.0, o.Dither);
        Assert.Equal(1.0, o.EnergyFloor);
        Assert.Null(o.NormalizationMean);
        new Core.Dsp.KaldiFbank(o); // valid as is
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(636, 0)]   // one sample short of a window: no frames (torchaudio asserts instead)
    [InlineData(637, 1)]
    [InlineData(954, 1)]
    [InlineData(955, 2)]
    [InlineData(12000, 36)]
    [InlineData(24157, 74)]
    [InlineData(96000, 300)]
    public void FrameCount_SnipEdges(long samples, int frames)
    {
        Assert.Equal(frames, new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256).FrameCount(samples));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(158, 0)]
    [InlineData(159, 1)]   // (n + hop/2) / hop with hop 318
    [InlineData(636, 2)]
    [InlineData(24157, 76)]
    public void FrameCount_WithoutSnipEdges_DependsOnlyOnTheShift(long samples, int frames)
    {
        var options = KaldiFbankOptions.EncodecMaeMel256 with { SnipEdges = false };
        Assert.Equal(frames, new Core.Dsp.KaldiFbank(options).FrameCount(samples));
    }

    [Fact]
    public void ShorterThanOneWindow_AndEmpty_GiveNoFrames()
    {
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        Assert.Empty(fbank.Compute(ReadOnlySpan<float>.Empty));
        Assert.Empty(fbank.Compute(Noise(636)));
        Assert.Equal(256, fbank.Compute(Noise(637)).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => fbank.FrameCount(-1));
    }

    [Fact]
    public void Silence_GivesTheLogFloorEverywhere()
    {
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256 with { NormalizationMean = null, NormalizationStd = null });
        var result = fbank.Compute(new float[2000]);
        Assert.Equal(5 * 256, result.Length); // 1 + (2000 - 637) / 318
        Assert.All(result, v => Assert.Equal(MathF.Log(1.1920929E-07f), v));
        Assert.Equal(-15.942385f, result[0], 5);
    }

    [Fact]
    public void FramesAreIndependent_EachFrameDependsOnlyOnItsOwnSamples()
    {
        var x = Noise(5000);
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        var all = fbank.Compute(x);
        int frames = fbank.FrameCount(x.Length);
        for (int f = 0; f < frames; f++)
        {
            var single = fbank.Compute(x.AsSpan(f * 318, 637));
            Assert.Equal(all.AsSpan(f * 256, 256).ToArray(), single);
        }
    }

    [Fact]
    public void WithoutSnipEdges_InteriorFramesAreCentredOnMultiplesOfTheHop()
    {
        var x = Noise(5000, seed: 2);
        var options = KaldiFbankOptions.EncodecMaeMel256 with { SnipEdges = false };
        var result = new Core.Dsp.KaldiFbank(options).Compute(x);
        var snipped = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        // Frame f starts at f*318 + 318/2 - 637/2 = f*318 - 159.
        for (int f = 1; f < 14; f++)
            Assert.Equal(snipped.Compute(x.AsSpan(f * 318 - 159, 637)), result.AsSpan(f * 256, 256).ToArray());
    }

    [Fact]
    public void WithoutSnipEdges_EdgeFramesMirrorTheSignalRepeatingTheEdgeSample()
    {
        var x = Noise(2000, seed: 3);
        var options = KaldiFbankOptions.EncodecMaeMel256 with { SnipEdges = false };
        var fbank = new Core.Dsp.KaldiFbank(options);
        var result = fbank.Compute(x);
        int frames = fbank.FrameCount(x.Length); // (2000 + 159) / 318 = 6
        Assert.Equal(6, frames);
        var snipped = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);

        // Frame 0 covers samples -159 .. 477, where x[-1-i] = x[i].
        var first = new float[637];
        for (int j = 0; j < 637; j++) { int s = j - 159; first[j] = s < 0 ? x[-s - 1] : x[s]; }
        Assert.Equal(snipped.Compute(first), result.AsSpan(0, 256).ToArray());

        // The last frame covers 5*318 - 159 = 1431 .. 2067, where x[n + i] = x[n - 1 - i].
        var last = new float[637];
        for (int j = 0; j < 637; j++) { int s = 1431 + j; last[j] = s >= 2000 ? x[2 * 2000 - 1 - s] : x[s]; }
        Assert.Equal(snipped.Compute(last), result.AsSpan(5 * 256, 256).ToArray());
    }

    [Fact]
    public void LinearOutput_IsTheExponentOfTheLogOutput()
    {
        var x = Noise(3000, seed: 4);
        var log = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256 with { NormalizationMean = null, NormalizationStd = null }).Compute(x);
        var linear = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256 with { NormalizationMean = null, NormalizationStd = null, UseLogFbank = false }).Compute(x);
        for (int i = 0; i < log.Length; i++)
            Assert.Equal(log[i], MathF.Log(MathF.Max(linear[i], KaldiFbankOptions.LogFloor)));
    }

    [Fact]
    public void MagnitudeOutput_OfAnImpulse_IsTheFilterWeightSumTimesTheFlatSpectrum()
    {
        // No DC removal, pre-emphasis or window shaping: a lone unit impulse has |X[k]| = 1 at every bin,
        // so each magnitude-mel value is the sum of its triangle's weights, and the power-mel value the same.
        var options = new KaldiFbankOptions
        {
            SampleRate = 16000, NumMelBins = 23, RemoveDcOffset = false, PreemphasisCoefficient = 0,
            WindowType = KaldiFbankWindowType.Rectangular, UseLogFbank = false, UsePower = false,
        };
        var x = new float[400];
        x[10] = 1f;
        var fbank = new Core.Dsp.KaldiFbank(options);
        var magnitude = fbank.Compute(x);
        var power = new Core.Dsp.KaldiFbank(options with { UsePower = true }).Compute(x);
        var w = fbank.Filterbank.Weights;
        for (int m = 0; m < 23; m++)
        {
            double sum = 0;
            for (int k = 0; k < fbank.Filterbank.BinCount; k++) sum += w[m * fbank.Filterbank.BinCount + k];
            Assert.Equal(sum, magnitude[m], 4);
            Assert.Equal(sum, power[m], 4);
        }
    }

    [Fact]
    public void Normalisation_AndMeanSubtraction_AreAppliedAfterTheLog()
    {
        var x = Noise(4000, seed: 5);
        var raw = KaldiFbankOptions.EncodecMaeMel256 with { NormalizationMean = null, NormalizationStd = null };
        var logMel = new Core.Dsp.KaldiFbank(raw).Compute(x);
        var normalized = new Core.Dsp.KaldiFbank(raw with { NormalizationMean = 1.5, NormalizationStd = 2.0 }).Compute(x);
        for (int i = 0; i < logMel.Length; i++) Assert.Equal((logMel[i] - 1.5f) / 2f, normalized[i]);

        var centred = new Core.Dsp.KaldiFbank(raw with { SubtractMean = true }).Compute(x);
        int frames = logMel.Length / 256;
        for (int m = 0; m < 256; m++)
        {
            double mean = 0, centredMean = 0;
            for (int f = 0; f < frames; f++) { mean += logMel[f * 256 + m]; centredMean += centred[f * 256 + m]; }
            mean /= frames;
            Assert.Equal(logMel[m] - mean, centred[m], 4);
            Assert.True(Math.Abs(centredMean / frames) < 1e-4);
        }
    }

    [Fact]
    public void ConcurrentCalls_OnOneInstance_GiveIdenticalResults()
    {
        var x = Noise(24000, seed: 6);
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        var expected = fbank.Compute(x);
        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = fbank.Compute(x));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(KaldiFbankWindowType.Povey, 0.0, 0.85)]
    [InlineData(KaldiFbankWindowType.Hann, 0.0, 1.0)]
    [InlineData(KaldiFbankWindowType.Hamming, 0.08, 1.0)]
    [InlineData(KaldiFbankWindowType.Rectangular, 1.0, 1.0)]
    public void Windows_AreSymmetricKaldiWindows(KaldiFbankWindowType type, double edge, double hannPower)
    {
        var window = new Core.Dsp.KaldiFbank(new KaldiFbankOptions { WindowType = type }).Window;
        Assert.Equal(400, window.Length);
        Assert.Equal(edge, window[0], tolerance: 1e-7);
        for (int n = 0; n < 400; n++)
        {
            Assert.Equal(window[n], window[399 - n]);
            if (type is KaldiFbankWindowType.Povey or KaldiFbankWindowType.Hann)
                Assert.Equal(Math.Pow(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / 399), hannPower), window[n], tolerance: 1e-7); // float32 rounding
        }
    }

    [Fact]
    public void Compute_IntoATooSmallDestination_Throws()
    {
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        Assert.Throws<ArgumentException>(() => fbank.Compute(Noise(1000), new float[255]));
    }

    private static readonly Dictionary<string, KaldiFbankOptions> Bad = new()
    {
        { "negative shift", new KaldiFbankOptions { FrameShiftMs = -10 } },
        { "zero shift", new KaldiFbankOptions { FrameShiftMs = 0 } },
        { "shift under one sample", new KaldiFbankOptions { FrameShiftMs = 0.01 } },
        { "zero frame length", new KaldiFbankOptions { FrameLengthMs = 0 } },
        { "one-sample frame", new KaldiFbankOptions { FrameLengthMs = 0.0625 } },
        { "NaN frame length", new KaldiFbankOptions { FrameLengthMs = double.NaN } },
        { "absurd frame length", new KaldiFbankOptions { FrameLengthMs = 1e9 } },
        { "zero sample rate", new KaldiFbankOptions { SampleRate = 0 } },
        { "odd unpadded window", new KaldiFbankOptions { FrameLengthMs = 25.0625, RoundToPowerOfTwo = false } },
        { "unpadded window not a power of two", new KaldiFbankOptions { RoundToPowerOfTwo = false } },
        { "too few mel bins", new KaldiFbankOptions { NumMelBins = 3 } },
        { "high above Nyquist", new KaldiFbankOptions { HighFreq = 9000 } },
        { "low at Nyquist", new KaldiFbankOptions { LowFreq = 8000 } },
        { "low above high", new KaldiFbankOptions { LowFreq = 5000, HighFreq = 4000 } },
        { "negative low", new KaldiFbankOptions { LowFreq = -1 } },
        { "dither", new KaldiFbankOptions { Dither = 1.0 } },
        { "pre-emphasis above 1", new KaldiFbankOptions { PreemphasisCoefficient = 1.5 } },
        { "negative pre-emphasis", new KaldiFbankOptions { PreemphasisCoefficient = -0.1 } },
        { "energy column", new KaldiFbankOptions { UseEnergy = true } },
        { "mean without std", new KaldiFbankOptions { NormalizationMean = 1 } },
        { "zero std", new KaldiFbankOptions { NormalizationMean = 1, NormalizationStd = 0 } },
        { "NaN mean", new KaldiFbankOptions { NormalizationMean = double.NaN, NormalizationStd = 1 } },
    };

    // Keyed by name so the test list shows the case, not the whole record.
    public static TheoryData<string> BadOptions()
    {
        var data = new TheoryData<string>();
        foreach (var name in Bad.Keys) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptions_ThrowArgumentException(string what)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Core.Dsp.KaldiFbank(Bad[what]));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), what);
    }

    [Fact]
    public void NullOptions_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new Core.Dsp.KaldiFbank(null!));
    }
}
