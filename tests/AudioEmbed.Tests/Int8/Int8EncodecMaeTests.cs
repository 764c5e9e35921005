using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.Checkpoints;
using AudioEmbed.Tests.Mert;
using Xunit.Abstractions;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;
using static AudioEmbed.Tests.Int8.Int8Support;

namespace AudioEmbed.Tests.Int8;

/// <summary>
/// The tiny-mel256 EnCodecMAE fixture converted with Precision.Int8: attention projections and the (shared)
/// feed-forward are dynamic int8, the post-net stays float32, ONNX Runtime fuses every int8 Linear, and the encoder
/// outputs stay close to the float32 conversion (chunk 0 through the graph, and the whole file through the extractor).
/// </summary>
public sealed class Int8EncodecMaeTests : IDisposable
{
    private const int Layers = 2, Dim = 32;
    /// <summary>Mean-pooled outputs, int8 vs float32 (measured ≥ 0.99992 here; the feature's criterion on real songs is 0.999).</summary>
    private const double PooledCosine = 0.9995;
    /// <summary>Every frame of every layer (measured ≥ 0.99974): a wrong scale, zero point or transpose gives cosines near 0.</summary>
    private const double FrameCosine = 0.999;

    private readonly TempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public Int8EncodecMaeTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    private string Convert(Precision precision)
    {
        var graph = EncodecMaeFamily.BuildGraph(Fixture("tiny-mel256", "model.pt"), null, precision);
        string path = _dir.File($"tiny-{precision}.onnx");
        using (var stream = File.Create(path)) graph.WriteTo(stream);
        return path;
    }

    [SkippableFact]
    public void Graph_HasDynamicInt8EncoderLinears_SharedFeedForwardStoredOnce()
    {
        var model = Load(Convert(Precision.Int8));
        const int linears = 6 * Layers; // wq, wk, wv, wo and the two feed-forward layers, per layer
        Assert.Equal(linears, Count(model, "DynamicQuantizeLinear"));
        Assert.Equal(linears, Count(model, "MatMulInteger"));
        var int8 = model.Graph.Initializer.Where(t => t.DataType == (int)AudioEmbed.Core.Onnx.Proto.TensorProto.Types.DataType.Int8).ToList();
        Assert.Equal(4 * Layers + 2, int8.Count); // one feed-forward module shared by every layer
        Assert.All(int8, t => Assert.Equal(2, t.Dims.Count));
        Assert.Contains(model.Graph.Initializer, t => t.Name == EncodecMaeWeights.PostNetWeight && t.DataType == 1);
        Assert.Equal(1 + 2 * Layers, Count(model, "MatMul")); // the float post-net, and attention's QKᵀ and ·V per layer
        Assert.Equal("Int8", model.MetadataProps.Single(p => p.Key == OnnxGraphBuilder.PrecisionMetadata).Value);
    }

    [SkippableFact]
    public void OnnxRuntime_FusesEveryInt8Linear()
    {
        var optimized = Optimized(Convert(Precision.Int8), _dir.File("optimized.onnx"));
        _log.WriteLine($"{Count(optimized, "DynamicQuantizeMatMul")} DynamicQuantizeMatMul, {Count(optimized, "MatMulIntegerToFloat")} MatMulIntegerToFloat");
        Assert.Equal(6 * Layers, Count(optimized, "DynamicQuantizeMatMul") + Count(optimized, "MatMulIntegerToFloat"));
        Assert.Equal(0, Count(optimized, "MatMulInteger"));
    }

    [SkippableFact]
    public void Chunk0_EveryLayer_IsCloseToFloat32()
    {
        string float32 = Convert(Precision.Float32), int8 = Convert(Precision.Int8);
        var fbank = Npy("tiny-mel256", "fbank_chunk0.npy");
        var names = new[] { "with_posemb", "layer_0", "layer_1", "last" };
        var expected = Run(float32, EncodecMaeGraph.InputName, fbank, new long[] { 1, 300, 256 }, names);
        var actual = Run(int8, EncodecMaeGraph.InputName, fbank, new long[] { 1, 300, 256 }, names);
        Assert.Equal(expected[0], actual[0]); // before the first int8 layer nothing differs
        for (int i = 1; i < names.Length; i++) Check(expected[i], actual[i], 300, $"chunk 0 {names[i]}");
    }

    [SkippableFact]
    public void WholeFile_ThroughTheExtractor_IsCloseToFloat32()
    {
        var input = Npy("tiny-mel256", "input.npy");
        var request = new EmbeddingRequest { Model = "EnCodecMAE" };
        LayerRows Extract(Precision p) => new EncodecMaeExtractor(Convert(p), ExecutionDevice.Cpu, 0)
            .Extract(new MertArraySource(input, 24000), "all", request, CancellationToken.None);
        var expected = Extract(Precision.Float32);
        var actual = Extract(Precision.Int8);
        Assert.Equal(712, actual.RowCount);
        Assert.Equal(expected.Dimension, actual.Dimension);
        for (int layer = 0; layer < Layers; layer++)
        {
            var a = Pooler.Split(expected.Rows, expected.RowCount, expected.Dimension).SelectMany(r => r.Skip(layer * Dim).Take(Dim)).ToArray();
            var b = Pooler.Split(actual.Rows, actual.RowCount, actual.Dimension).SelectMany(r => r.Skip(layer * Dim).Take(Dim)).ToArray();
            Check(a, b, 712, $"whole file, layer {layer} of 'all'");
        }
    }

    private void Check(float[] expected, float[] actual, int frames, string what)
    {
        double pooled = Cosine(Pooler.Mean(expected, frames, Dim), Pooler.Mean(actual, frames, Dim));
        double frame = MinRowCosine(expected, actual, Dim);
        _log.WriteLine($"{what}: pooled cos {pooled:F6}, min frame cos {frame:F6}, max |Δ| {Tolerance.MaxAbsDiff(expected, actual):E2}");
        Assert.True(pooled >= PooledCosine, $"{what}: pooled cosine {pooled:F6} < {PooledCosine}");
        Assert.True(frame >= FrameCosine, $"{what}: a frame's cosine {frame:F6} < {FrameCosine}");
    }
}
