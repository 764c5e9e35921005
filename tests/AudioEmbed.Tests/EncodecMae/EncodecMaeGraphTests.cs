using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Tests.Checkpoints;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>
/// The converted tiny-mel256 graph fed the reference chunk-0 fbank, against the upstream intermediate values.
/// Tolerance (fixtures README, features): atol 1e-3, rtol 1e-3; fbank: atol 2e-3 normalised.
/// </summary>
public sealed class EncodecMaeGraphTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public EncodecMaeGraphTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Chunk0_PostNetPositionsAndLayers_MatchUpstream()
    {
        string onnx = Convert(_dir, Fixture("tiny-mel256", "model.pt"));
        var fbank = Npy("tiny-mel256", "fbank_chunk0.npy");
        Assert.Equal(300 * 256, fbank.Length);

        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(fbank, new long[] { 1, 300, 256 });
        var names = new[] { "post_net", "with_posemb", "layer_0", "layer_1", "last" };
        using var results = session.Run(new RunOptions(), new[] { EncodecMaeGraph.InputName }, new[] { input }, names);
        var outputs = names.Select((n, i) => (n, results[i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(x => x.n, x => x.Item2);

        Check(Npy("tiny-mel256", "chunk0_post_net.npy"), outputs["post_net"], "post_net");
        Check(Npy("tiny-mel256", "chunk0_with_posemb.npy"), outputs["with_posemb"], "with_posemb");
        // Layer outputs of chunk 0 are the first 300 frames of the whole-file references.
        var noPostnorm = Npy("tiny-mel256", "features_all_layers_no_postnorm.npy");
        var all = Npy("tiny-mel256", "features_all_layers.npy");
        const int chunk = 300 * 32, file = 712 * 32;
        Check(noPostnorm.AsSpan(0, chunk).ToArray(), outputs["layer_0"], "layer_0");
        Check(noPostnorm.AsSpan(file, chunk).ToArray(), outputs["layer_1"], "layer_1");
        Check(all.AsSpan(file, chunk).ToArray(), outputs["last"], "last (postnorm)");
    }

    [SkippableFact]
    public void Chunk0_Fbank_MatchesUpstream()
    {
        string path = Fixture("tiny-mel256", "config.gin");
        var config = EncodecMaeGinConfig.Parse(File.ReadAllText(path), path);
        var input = Npy("tiny-mel256", "input.npy");
        var fbank = new AudioEmbed.Core.Dsp.KaldiFbank(config.FbankOptions).Compute(input.AsSpan(0, config.ChunkSamples));
        var expected = Npy("tiny-mel256", "fbank_chunk0.npy");
        _log.WriteLine($"fbank chunk0 max |Δ| = {Tolerance.MaxAbsDiff(expected, fbank):E2} (atol 2e-3)");
        Tolerance.AllClose(expected, fbank, 2e-3, 0, "normalised fbank of chunk 0");
    }

    [Fact]
    public void SinusoidalTableFollowsTheSpec()
    {
        // PE[t, 2i] = sin(t·exp(−2i·ln(10000)/D)), PE[t, 2i+1] = cos(same)
        var table = EncodecMaeGraph.SinusoidalTable(5, 4);
        Assert.Equal(0f, table[0]);
        Assert.Equal(1f, table[1]);
        Assert.Equal((float)Math.Sin(3 * Math.Exp(-2 * Math.Log(10000) / 4)), table[3 * 4 + 2], 6);
        Assert.Equal((float)Math.Cos(3 * Math.Exp(-2 * Math.Log(10000) / 4)), table[3 * 4 + 3], 6);
    }

    private void Check(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        _log.WriteLine($"{what}: max |Δ| = {Tolerance.MaxAbsDiff(expected, actual):E2} (atol 1e-3, rtol 1e-3)");
        Tolerance.AllClose(expected, actual, 1e-3, 1e-3, what);
    }
}
