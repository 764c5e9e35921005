namespace AudioEmbed.Core.Onnx;

/// <summary>The operators our converters use, as one-line helpers over <see cref="OnnxGraphBuilder.Node"/>.</summary>
internal sealed partial class OnnxGraphBuilder
{
    public string Relu(string x) => Node("Relu", new[] { x });
    public string Sigmoid(string x) => Node("Sigmoid", new[] { x });
    public string Add(string a, string b) => Node("Add", new[] { a, b });
    public string Mul(string a, string b) => Node("Mul", new[] { a, b });
    public string MatMul(string a, string b) => Node("MatMul", new[] { a, b });

    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, null, Attr.Int("axis", axis));

    public string Transpose(string x, params long[] perm) => Node("Transpose", new[] { x }, null, Attr.Ints("perm", perm));

    public string Reshape(string x, params long[] shape) =>
        Node("Reshape", new[] { x, Int64Initializer(Fresh("shape"), shape) });

    public string Unsqueeze(string x, params long[] axes) =>
        Node("Unsqueeze", new[] { x, Int64Initializer(Fresh("axes"), axes) });

    /// <summary>Elements start..end-1 of each listed axis (unit steps).</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes) =>
        Node("Slice", new[] { x, Int64Initializer(Fresh("starts"), starts), Int64Initializer(Fresh("ends"), ends), Int64Initializer(Fresh("axes"), axes) });

    public string ReduceMax(string x, long axis, bool keepDims = false) =>
        Node("ReduceMax", new[] { x }, null, Attr.Ints("axes", axis), Attr.Int("keepdims", keepDims ? 1 : 0));

    public string ReduceMean(string x, long axis, bool keepDims = false) =>
        Node("ReduceMean", new[] { x }, null, Attr.Ints("axes", axis), Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>y = x · W + b for a 2-D x, with W stored (in, out) as Keras and PyTorch-transposed weights are.</summary>
    public string Gemm(string x, string weightInOut, string bias) =>
        Node("Gemm", new[] { x, weightInOut, bias });

    /// <summary>Convolution with explicit zero padding (begin…, end…) and unit strides/dilations.</summary>
    public string Conv(string x, string weight, string? bias, long[] kernel, long[] pads, long[]? strides = null, long group = 1)
    {
        var inputs = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return Node("Conv", inputs, null,
            Attr.Ints("kernel_shape", kernel),
            Attr.Ints("pads", pads),
            Attr.Ints("strides", strides ?? Enumerable.Repeat(1L, kernel.Length).ToArray()),
            Attr.Int("group", group));
    }

    public string MaxPool(string x, long[] kernel, long[] strides) =>
        Node("MaxPool", new[] { x }, null, Attr.Ints("kernel_shape", kernel), Attr.Ints("strides", strides));

    /// <summary>Inference batch normalisation over axis 1 with stored statistics.</summary>
    public string BatchNorm(string x, string scale, string bias, string mean, string variance, float epsilon) =>
        Node("BatchNormalization", new[] { x, scale, bias, mean, variance }, null, Attr.Float("epsilon", epsilon));
}
