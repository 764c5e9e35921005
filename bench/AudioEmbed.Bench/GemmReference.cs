using AudioEmbed.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Bench;

/// <summary>
/// The compute reference: ONNX Runtime multiplying two 1024×1024 float32 matrices with default session options.
/// Model figures are reported as a fraction of this rate.
/// </summary>
internal static class GemmReference
{
    public static double Measure(Report report)
    {
        const int N = 1024;
        var g = new OnnxGraphBuilder("gemm");
        var a = g.Input("a", new long?[] { N, N });
        var rng = new Random(1);
        var b = g.Initializer("b", Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray(), N, N);
        g.Output(g.MatMul(a, b), "c");
        using var session = new InferenceSession(g.ToBytes());
        var input = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(input, new long[] { N, N });
        var time = Report.Best(5, () => { using var r = session.Run(new RunOptions(), new[] { "a" }, new[] { value }, new[] { "c" }); });
        double gflops = 2.0 * N * N * N / time.TotalSeconds / 1e9;
        report.Add("ORT GEMM 1024³ (reference)", $"{gflops:0.0} GFLOP/s", $"{time.TotalMilliseconds:0.0} ms");
        return gflops;
    }
}
