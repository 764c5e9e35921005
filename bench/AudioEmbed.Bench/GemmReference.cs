using AudioEmbed.Core.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Bench;

/// <summary>
/// The compute reference: ONNX Runtime multiplying two 1024×1024 float32 matrices on as many threads as the models use.
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
        var input = Enumerable.Range(0, N * N).Select(_ => (float)rng.NextDouble()).ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(input, new long[] { N, N });
        double Rate(SessionOptions options)
        {
            using var session = new InferenceSession(g.ToBytes(), options);
            var time = Report.Best(20, () => { using var r = session.Run(new RunOptions(), new[] { "a" }, new[] { value }, new[] { "c" }); });
            return 2.0 * N * N * N / time.TotalSeconds / 1e9;
        }
        // The reference uses the thread count the models run with (SessionFactory: every CPU this process may use);
        // ONNX Runtime's own default is shown beside it, since it can pick fewer threads than there are cores.
        double gflops = Rate(new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount });
        double ortDefault = Rate(new SessionOptions());
        report.Add("ORT GEMM 1024³ (reference)", $"{gflops:0.0} GFLOP/s", $"{Environment.ProcessorCount} threads; ONNX Runtime's default thread count: {ortDefault:0.0} GFLOP/s");
        return gflops;
    }
}
