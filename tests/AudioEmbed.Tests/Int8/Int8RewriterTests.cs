using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Onnx.Proto;
using AudioEmbed.Tests.Mert;
using Google.Protobuf;
using static AudioEmbed.Tests.Int8.Int8Support;

namespace AudioEmbed.Tests.Int8;

/// <summary>
/// The rewriter on finished graphs: an installed float32 model rewritten later equals a model converted as int8 from
/// the checkpoint, byte for byte; unselected and non-constant MatMuls are left alone; a bias Add is folded only when
/// the MatMul output has no other reader.
/// </summary>
public class Int8RewriterTests : IDisposable
{
    private readonly MertTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void RewritingAFloat32Model_EqualsConvertingAsInt8()
    {
        const string style = "tiny-95m-style";
        ModelProto Build(Precision p) => ModelProto.Parser.ParseFrom(MertFamily.BuildGraph(MertFixtures.File(style, "config.json"),
            MertFixtures.File(style, "preprocessor_config.json"), MertFixtures.File(style, "model.safetensors"), p).ToBytes());
        var rewritten = Build(Precision.Float32);
        Assert.Equal(6 * MertFixtures.Layers, DynamicInt8Rewriter.Apply(rewritten, MertGraph.IsInt8Weight));
        Assert.Equal(Build(Precision.Int8).ToByteArray(), rewritten.ToByteArray());
    }

    [Fact]
    public void OnlySelectedConstantWeightsAreRewritten_AndBiasIsFoldedOnlyWhenSafe()
    {
        var g = new OnnxGraphBuilder("t");
        var x = g.Input("x", new long?[] { null, 4 });
        var w1 = g.Initializer("keep.w", new float[12], 4, 3);
        var w2 = g.Initializer("quant.w", Enumerable.Range(0, 12).Select(i => i * 0.1f - 0.5f).ToArray(), 4, 3);
        var b = g.Initializer("quant.b", new[] { 1f, 2f, 3f }, 3);
        var kept = g.MatMul(x, w1);
        var y = g.MatMul(x, w2);
        var biased = g.Add(y, b);
        var dynamic = g.MatMul(g.Transpose(biased, 1, 0), kept); // activations × activations: never quantised
        g.Output(y, "y_raw");                                       // y has a second reader: no bias folding
        g.Output(dynamic, "z");
        var model = ModelProto.Parser.ParseFrom(g.ToBytes());

        Assert.Equal(1, DynamicInt8Rewriter.Apply(model, name => name.StartsWith("quant.", StringComparison.Ordinal)));
        Assert.Equal(2, Count(model, "MatMul"));
        Assert.Equal(1, Count(model, "MatMulInteger"));
        Assert.Contains(model.Graph.Node, n => n.OpType == "Add" && n.Input[1] == "quant.b"); // the original bias Add stays
        Assert.DoesNotContain(model.Graph.Initializer, t => t.Name == "quant.w");
        Assert.Contains(model.Graph.Initializer, t => t.Name == "keep.w");
        Assert.Equal("Int8", model.MetadataProps.Single(p => p.Key == OnnxGraphBuilder.PrecisionMetadata).Value);

        // Still a valid model ONNX Runtime runs, and y is close to x·W.
        string path = System.IO.Path.Combine(_dir.Path, "t.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var input = new float[] { 1, -2, 0.5f, 3, 0, 1, -1, 2 };
        var result = Run(path, "x", input, new long[] { 2, 4 }, new[] { "y_raw" })[0];
        var w = Enumerable.Range(0, 12).Select(i => i * 0.1f - 0.5f).ToArray();
        for (int r = 0; r < 2; r++)
            for (int c = 0; c < 3; c++)
            {
                double exact = 0;
                for (int k = 0; k < 4; k++) exact += input[r * 4 + k] * w[k * 3 + c];
                // Error bound: activation step (range 5 / 255) and weight step (≤ 0.6 / 127) over 4 products.
                Assert.True(Math.Abs(result[r * 3 + c] - exact) < 0.1, $"y[{r},{c}] = {result[r * 3 + c]} vs {exact}");
            }
    }
}
