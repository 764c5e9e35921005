using AudioEmbed.Core.Dsp;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.KaldiFbank;

/// <summary>
/// Against torchaudio 0.13 <c>kaldi.fbank</c> outputs produced with EnCodecMAE's processor kwargs
/// (../shared/fixtures/encodecmae/fbank and tiny-mel256). Tolerances from that README: raw log-mel atol 1e-2
/// with the 99th percentile of |diff| below 2e-3 (float32 FFT noise in near-silent bands reaches ~9e-3),
/// normalised output atol 2e-3.
/// </summary>
public class KaldiFbankFixtureTests
{
    private const double RawAbsTolerance = 1e-2;
    private const double RawP99Tolerance = 2e-3;
    private const double NormalizedAbsTolerance = 2e-3;

    private readonly ITestOutputHelper _output;

    public KaldiFbankFixtureTests(ITestOutputHelper output) => _output = output;

    private static KaldiFbankOptions Raw => KaldiFbankOptions.EncodecMaeMel256 with { NormalizationMean = null, NormalizationStd = null };

    [SkippableTheory]
    [InlineData("sweep", 149)]
    [InlineData("noise", 74)]
    [InlineData("impulse", 74)]
    [InlineData("clip_0p5s", 36)]
    [InlineData("odd_len", 74)]
    public void Signal_RawLogMel_MatchesTorchaudio(string name, int frames)
    {
        var signal = SharedData.Npy("fixtures", "encodecmae", "fbank", $"signal_{name}.npy").ToFloat32();
        var expected = SharedData.Npy("fixtures", "encodecmae", "fbank", $"fbank_{name}.npy");
        Assert.Equal(new[] { frames, 256 }, expected.Shape);

        var fbank = new Core.Dsp.KaldiFbank(Raw);
        Assert.Equal(frames, fbank.FrameCount(signal.Length));
        var actual = fbank.Compute(signal);
        var exp = expected.ToFloat32();
        Assert.Equal(exp.Length, actual.Length);

        var diffs = new double[exp.Length];
        for (int i = 0; i < exp.Length; i++) diffs[i] = Math.Abs((double)exp[i] - actual[i]);
        Array.Sort(diffs);
        double p99 = diffs[(int)(0.99 * (diffs.Length - 1))];
        _output.WriteLine($"{name}: {signal.Length} samples, {frames} frames; raw max |diff| {diffs[^1]:E3}, p99 {p99:E3}, median {diffs[diffs.Length / 2]:E3}");
        Tolerance.AllClose(exp, actual, abs: RawAbsTolerance, what: $"raw log-mel of {name}");
        Assert.True(p99 < RawP99Tolerance, $"99th percentile |diff| {p99:E3} >= {RawP99Tolerance:E1}");
    }

    [SkippableTheory]
    [InlineData("sweep")]
    [InlineData("noise")]
    [InlineData("impulse")]
    [InlineData("clip_0p5s")]
    [InlineData("odd_len")]
    public void Signal_NormalizedLogMel_MatchesProcessorOutput(string name)
    {
        var signal = SharedData.Npy("fixtures", "encodecmae", "fbank", $"signal_{name}.npy").ToFloat32();
        var expected = SharedData.Npy("fixtures", "encodecmae", "fbank", $"fbank_norm_{name}.npy");
        var actual = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256).Compute(signal);
        var exp = expected.ToFloat32();
        _output.WriteLine($"{name}: normalised max |diff| {Tolerance.MaxAbsDiff(exp, actual):E3}");
        Tolerance.AllClose(exp, actual, abs: NormalizedAbsTolerance, what: $"normalised log-mel of {name}");
    }

    [SkippableFact]
    public void TinyModelChunk0_IsTheNormalisedFbankOfTheFirst96000Samples()
    {
        // EnCodecMAE cuts the input into 96000-sample chunks and runs fbank + normalisation on each one alone;
        // chunk 0 is simply samples [0, 96000).
        var input = SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "input.npy").ToFloat32();
        var expected = SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "fbank_chunk0.npy");
        Assert.Equal(new[] { 300, 256 }, expected.Shape);
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        var chunk = input.AsSpan(0, 96000);
        Assert.Equal(300, fbank.FrameCount(chunk.Length));
        var actual = fbank.Compute(chunk);
        var exp = expected.ToFloat32();
        _output.WriteLine($"chunk 0: normalised max |diff| {Tolerance.MaxAbsDiff(exp, actual):E3}");
        Tolerance.AllClose(exp, actual, abs: NormalizedAbsTolerance, what: "fbank of chunk 0");
    }

    [SkippableFact]
    public void TinyModelChunks_HaveTheDocumentedFrameCounts()
    {
        var input = SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "input.npy").ToFloat32();
        Assert.Equal(228000, input.Length);
        var fbank = new Core.Dsp.KaldiFbank(KaldiFbankOptions.EncodecMaeMel256);
        Assert.Equal(300, fbank.FrameCount(96000));
        Assert.Equal(112, fbank.FrameCount(228000 - 2 * 96000));
        Assert.Equal(112 * 256, fbank.Compute(input.AsSpan(192000)).Length);
    }
}
