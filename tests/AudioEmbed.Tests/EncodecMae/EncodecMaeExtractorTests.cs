using AudioEmbed.Core.Audio.Wav;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.Checkpoints;
using AudioEmbed.Tests.Resampling;
using Xunit.Abstractions;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>
/// Whole files through the extractor (24 kHz input, so no resampling) against upstream's extract_features_from_array.
/// Tolerances (fixtures README): features atol 1e-3 + rtol 1e-3, mean-pooled atol 1e-4; shapes and frame counts exact.
/// </summary>
public sealed class EncodecMaeExtractorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public EncodecMaeExtractorTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Features_MatchUpstream_712Frames()
    {
        var rows = Extract(Convert(_dir, Fixture("tiny-mel256", "model.pt")), Npy("tiny-mel256", "input.npy"), "last");
        Assert.Equal(712, rows.RowCount); // 300 + 300 + 112
        Assert.Equal(32, rows.Dimension);
        Assert.Equal(3, rows.Patches);
        Assert.Equal(228000, rows.DecodedFrames);
        Check(Npy("tiny-mel256", "features.npy"), rows.Rows, 1e-3, 1e-3, "features");

        var pooled = Pooler.Mean(rows.Rows, rows.RowCount, rows.Dimension);
        Check(Npy("tiny-mel256", "mean_pooled.npy"), pooled, 1e-4, 0, "mean_pooled");
    }

    [SkippableFact]
    public void WavInput_GivesTheSameFeatures()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"));
        using var wav = WavDecoder.Open(Fixture("tiny-mel256", "input.wav"));
        var rows = new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(wav, "last", new EmbeddingRequest(), CancellationToken.None);
        Check(Npy("tiny-mel256", "features.npy"), rows.Rows, 1e-3, 1e-3, "features from input.wav");
    }

    [SkippableFact]
    public void AllLayersAndLayerIndices_MatchUpstream()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"));
        var input = Npy("tiny-mel256", "input.npy");
        var expected = Npy("tiny-mel256", "features_all_layers.npy"); // [2, 712, 32], last entry with postnorm
        var noPostnorm = Npy("tiny-mel256", "features_all_layers_no_postnorm.npy");
        const int perLayer = 712 * 32;

        var layer0 = Extract(onnx, input, "0");
        Check(expected.AsSpan(0, perLayer).ToArray(), layer0.Rows, 1e-3, 1e-3, "layer 0");
        var layer1 = Extract(onnx, input, "1");
        Check(noPostnorm.AsSpan(perLayer, perLayer).ToArray(), layer1.Rows, 1e-3, 1e-3, "layer 1 (no postnorm)");

        var all = Extract(onnx, input, "all");
        Assert.Equal(712, all.RowCount);
        Assert.Equal(64, all.Dimension);
        var regrouped = new float[2 * perLayer]; // frame-major [712, 2·32] → layer-major [2, 712, 32]
        for (int t = 0; t < 712; t++)
            for (int l = 0; l < 2; l++)
                all.Rows.AsSpan(t * 64 + l * 32, 32).CopyTo(regrouped.AsSpan(l * perLayer + t * 32));
        Check(expected, regrouped, 1e-3, 1e-3, "all layers");
        Assert.Throws<ArgumentException>(() => Extract(onnx, input, "2"));
    }

    [SkippableFact]
    public void WithoutPostnorm_LastIsThePlainLastLayer()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"), c => c with { PostnormLastActivation = false }, "no_postnorm.onnx");
        var all = Extract(onnx, Npy("tiny-mel256", "input.npy"), "all");
        var regrouped = new float[2 * 712 * 32];
        for (int t = 0; t < 712; t++)
            for (int l = 0; l < 2; l++)
                all.Rows.AsSpan(t * 64 + l * 32, 32).CopyTo(regrouped.AsSpan(l * 712 * 32 + t * 32));
        Check(Npy("tiny-mel256", "features_all_layers_no_postnorm.npy"), regrouped, 1e-3, 1e-3, "all layers, no postnorm");
    }

    [SkippableFact]
    public void ShortTail_IsDropped()
    {
        var input = Npy("tiny-mel256", "input_droptail.npy");
        Assert.Equal(194000, input.Length);
        var rows = Extract(Convert(_dir, Fixture("tiny-mel256", "model.pt")), input, "last");
        Assert.Equal(600, rows.RowCount);
        Assert.Equal(2, rows.Patches);
        Check(Npy("tiny-mel256", "features_droptail.npy"), rows.Rows, 1e-3, 1e-3, "features_droptail");
    }

    [SkippableFact]
    public void StereoInputIsDownmixedAndTooShortInputIsAnError()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"));
        var input = Npy("tiny-mel256", "input.npy");
        var stereo = new float[input.Length * 2];
        for (int i = 0; i < input.Length; i++) stereo[2 * i] = stereo[2 * i + 1] = input[i];
        using var source = new ResamplingArraySource(stereo, 24000, 2, maxFramesPerRead: 777);
        var rows = new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(source, "last", new EmbeddingRequest(), CancellationToken.None);
        Check(Npy("tiny-mel256", "features.npy"), rows.Rows, 1e-3, 1e-3, "features from stereo, small reads");

        var ex = Assert.Throws<InvalidDataException>(() => Extract(onnx, input.AsSpan(0, 2048).ToArray(), "last"));
        Assert.Contains("too short", ex.Message);
    }

    [SkippableFact]
    public void OtherRatesAreResampledTo24kHz_AndCancellationStops()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"));
        var input = Npy("tiny-mel256", "input.npy");
        var at48k = new float[input.Length * 2]; // sample-and-hold upsampling: 456000 samples → 228000 after resampling
        for (int i = 0; i < at48k.Length; i++) at48k[i] = input[i / 2];
        using (var source = new ResamplingArraySource(at48k, 48000, 1, maxFramesPerRead: 4096))
        {
            var rows = new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(source, "last", new EmbeddingRequest(), CancellationToken.None);
            Assert.Equal(712, rows.RowCount);
            Assert.Equal(456000, rows.DecodedFrames);
            Assert.Equal(48000, rows.NativeSampleRate);
        }
        using (var source = new ResamplingArraySource(input, 24000, 1))
        {
            using var cts = new CancellationTokenSource();
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(source, "last", new EmbeddingRequest(), cts.Token));
        }
    }

    private static LayerRows Extract(string onnx, float[] samples, string layer)
    {
        using var source = new ResamplingArraySource(samples, 24000, 1, maxFramesPerRead: 5000);
        return new EncodecMaeExtractor(onnx, ExecutionDevice.Cpu, 0).Extract(source, layer, new EmbeddingRequest(), CancellationToken.None);
    }

    private void Check(float[] expected, float[] actual, double abs, double rel, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        _log.WriteLine($"{what}: max |Δ| = {Tolerance.MaxAbsDiff(expected, actual):E2} (atol {abs}, rtol {rel})");
        Tolerance.AllClose(expected, actual, abs, rel, what);
    }
}
