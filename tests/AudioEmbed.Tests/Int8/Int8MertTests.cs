using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Tests.Mert;
using Xunit.Abstractions;
using static AudioEmbed.Tests.Int8.Int8Support;

namespace AudioEmbed.Tests.Int8;

/// <summary>
/// The tiny MERT fixtures (both encoder styles) converted with Precision.Int8: the transformer's Linear layers are
/// dynamic int8 in the graph, ONNX Runtime fuses them into its int8 GEMM kernels, and every hidden state stays close
/// to the float32 conversion of the same checkpoint on the fixture inputs.
/// </summary>
public class Int8MertTests : IDisposable
{
    /// <summary>
    /// Mean-pooled hidden states, int8 vs float32. Measured on these fixtures: ≥ 0.99977 (the feature's criterion on
    /// real songs with the full-size models is ≥ 0.999; the tiny 32-wide layers sum only 32–64 products per output,
    /// so each carries more relative rounding than a 768-wide one).
    /// </summary>
    private const double PooledCosine = 0.9995;
    /// <summary>Every frame of every hidden state (measured ≥ 0.99947): a wrong scale, zero point or transpose gives cosines near 0.</summary>
    private const double FrameCosine = 0.999;

    private readonly MertTempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public Int8MertTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Styles() => new(MertFixtures.Styles);

    private string Convert(string style, Precision precision)
    {
        var graph = MertFamily.BuildGraph(MertFixtures.File(style, "config.json"), MertFixtures.File(style, "preprocessor_config.json"),
            MertFixtures.File(style, "model.safetensors"), precision);
        string path = _dir.File($"{style}-{precision}.onnx");
        using (var stream = File.Create(path)) graph.WriteTo(stream);
        return path;
    }

    [SkippableTheory]
    [MemberData(nameof(Styles))]
    public void Graph_HasDynamicInt8TransformerLinears_AndFloatFrontEnd(string style)
    {
        var model = Load(Convert(style, Precision.Int8));
        const int linears = 6 * MertFixtures.Layers; // q, k, v, out, intermediate, output per layer
        Assert.Equal(linears, Count(model, "DynamicQuantizeLinear"));
        Assert.Equal(linears, Count(model, "MatMulInteger"));
        var int8 = model.Graph.Initializer.Where(t => t.DataType == (int)AudioEmbed.Core.Onnx.Proto.TensorProto.Types.DataType.Int8).Select(t => t.Name).ToList();
        Assert.Equal(linears, int8.Count);
        Assert.Contains("encoder.layers.0.attention.q_proj.weight_t.int8", int8);
        Assert.Contains("encoder.layers.1.feed_forward.output_dense.weight_t.int8", int8);
        // Feature projection and the conv front end stay float32.
        Assert.Contains(model.Graph.Initializer, t => t.Name == "feature_projection.projection.weight_t" && t.DataType == 1);
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name.StartsWith("encoder.layers.", StringComparison.Ordinal) && t.Name.EndsWith(".weight_t", StringComparison.Ordinal));
        Assert.Equal(MertFixtures.Layers, Count(model, "MatMul") / 2); // only attention's QKᵀ and ·V remain float MatMuls
        Assert.Equal("Int8", model.MetadataProps.Single(p => p.Key == OnnxGraphBuilder.PrecisionMetadata).Value);

        var float32 = Load(Convert(style, Precision.Float32));
        Assert.Equal(0, Count(float32, "MatMulInteger"));
        Assert.Equal("Float32", float32.MetadataProps.Single(p => p.Key == OnnxGraphBuilder.PrecisionMetadata).Value);
    }

    [SkippableTheory]
    [MemberData(nameof(Styles))]
    public void OnnxRuntime_FusesEveryInt8Linear(string style)
    {
        var optimized = Optimized(Convert(style, Precision.Int8), _dir.File("optimized.onnx"));
        int fused = Count(optimized, "DynamicQuantizeMatMul") + Count(optimized, "MatMulIntegerToFloat");
        _log.WriteLine($"{style}: {Count(optimized, "DynamicQuantizeMatMul")} DynamicQuantizeMatMul, {Count(optimized, "MatMulIntegerToFloat")} MatMulIntegerToFloat, {Count(optimized, "DynamicQuantizeLinear")} DynamicQuantizeLinear");
        Assert.Equal(6 * MertFixtures.Layers, fused);
        Assert.Equal(0, Count(optimized, "MatMulInteger"));
        Assert.Equal(0, Count(optimized, "Cast"));
    }

    [SkippableTheory]
    [MemberData(nameof(Styles))]
    public void EveryHiddenState_IsCloseToFloat32(string style)
    {
        string float32 = Convert(style, Precision.Float32), int8 = Convert(style, Precision.Int8);
        var names = Enumerable.Range(0, MertFixtures.Layers + 1).Select(MertGraph.HiddenName).ToArray();
        foreach (int input in new[] { 1, 2 })
        {
            var x = MertFixtures.Npy(style, $"normalized_{input}.npy").ToFloat32();
            var shape = new long[] { 1, x.Length };
            var expected = Run(float32, MertGraph.InputName, x, shape, names);
            var actual = Run(int8, MertGraph.InputName, x, shape, names);
            for (int i = 0; i < names.Length; i++)
            {
                int frames = expected[i].Length / MertFixtures.Hidden;
                double pooled = Cosine(AudioEmbed.Core.Pipeline.Pooler.Mean(expected[i], frames, MertFixtures.Hidden),
                    AudioEmbed.Core.Pipeline.Pooler.Mean(actual[i], frames, MertFixtures.Hidden));
                double frame = MinRowCosine(expected[i], actual[i], MertFixtures.Hidden);
                _log.WriteLine($"{style} input {input} {names[i]}: pooled cos {pooled:F6}, min frame cos {frame:F6}, max |Δ| {Tolerance.MaxAbsDiff(expected[i], actual[i]):E2}");
                Assert.True(pooled >= PooledCosine, $"{style} input {input} {names[i]}: pooled cosine {pooled:F6} < {PooledCosine}");
                Assert.True(frame >= FrameCosine, $"{style} input {input} {names[i]}: a frame's cosine {frame:F6} < {FrameCosine}");
            }
        }
    }
}
