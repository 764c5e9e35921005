using AudioEmbed.Core.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Tests.Int8;

/// <summary>Agreement measures and graph inspection shared by the int8 tests.</summary>
internal static class Int8Support
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => AudioEmbed.Core.Pipeline.Similarity.Cosine(a, b);

    /// <summary>The smallest cosine between matching rows of two (rows × dim) arrays.</summary>
    public static double MinRowCosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int dim)
    {
        double min = 1;
        for (int r = 0; r < a.Length / dim; r++) min = Math.Min(min, Cosine(a.Slice(r * dim, dim), b.Slice(r * dim, dim)));
        return min;
    }

    public static ModelProto Load(string onnxPath) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnxPath));

    public static int Count(ModelProto model, string opType) => model.Graph.Node.Count(n => n.OpType == opType);

    /// <summary>Op types of the graph ONNX Runtime actually runs, after its optimiser (fusions) on the CPU.</summary>
    public static ModelProto Optimized(string onnxPath, string outputPath)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = outputPath };
        using (new InferenceSession(onnxPath, options)) { }
        return Load(outputPath);
    }

    /// <summary>Runs a model on one input and returns the named outputs as arrays.</summary>
    public static float[][] Run(string onnxPath, string input, float[] values, long[] shape, string[] outputs)
    {
        using var session = new InferenceSession(onnxPath);
        using var x = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var results = session.Run(new RunOptions(), new[] { input }, new[] { x }, outputs);
        return results.Select(r => r.GetTensorDataAsSpan<float>().ToArray()).ToArray();
    }
}
