using System.Runtime.InteropServices;
using Google.Protobuf;
using AudioEmbed.Core.Onnx.Proto;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Dynamic int8 Linear layers in standard ONNX operators (opset 10+):
/// <code>
///   DynamicQuantizeLinear(x) → x_q (uint8), x_scale, x_zero
///   MatMulInteger(x_q, W_q (int8, in × out), x_zero) → int32 → Cast → float
///   · Mul(x_scale, W_scale[out]) → + bias
/// </code>
/// This is the exact shape ONNX Runtime's optimiser fuses into one com.microsoft DynamicQuantizeMatMul kernel
/// (MatMulIntegerToFloatFusion, then DynamicQuantizeMatMulFusion: each DynamicQuantizeLinear must feed one
/// MatMulInteger only, and the bias must be the Add's second input), so the file stays a portable ONNX model while
/// ORT runs a single prepacked int8 GEMM per layer.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>Model metadata key holding the <see cref="Precision"/> a converter built the graph in.</summary>
    public const string PrecisionMetadata = "audioembed.precision";

    /// <summary>An int8 constant tensor (raw bytes; int8 has no typed repeated field of its own in TensorProto).</summary>
    public string Int8Initializer(string name, ReadOnlySpan<sbyte> values, params long[] dims)
    {
        long count = 1;
        foreach (var d in dims) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"initializer '{name}': dims ({string.Join(", ", dims)}) hold {count} values, {values.Length} given");
        Claim(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int8 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>y = x · W + b with W (inputs × outputs, float32) quantised here and x quantised per run.</summary>
    public string DynamicInt8Linear(string x, string prefix, ReadOnlySpan<float> weightInOut, int inputs, int outputs, string? bias)
    {
        var (values, scales) = Int8WeightQuantizer.PerOutputChannel(weightInOut, inputs, outputs);
        return DynamicInt8Linear(x, Int8Initializer(prefix + ".weight_q", values, inputs, outputs),
            Initializer(prefix + ".weight_scale", scales, outputs), bias);
    }

    /// <summary>The same with already stored int8 weights and scales (a weight shared by several layers is stored once).</summary>
    public string DynamicInt8Linear(string x, string weightQ, string weightScale, string? bias)
    {
        string q = Fresh("x_q"), scale = Fresh("x_scale"), zero = Fresh("x_zero");
        Claim(q);
        Claim(scale);
        Claim(zero);
        var quantize = new NodeProto { OpType = "DynamicQuantizeLinear", Name = q + "/DynamicQuantizeLinear" };
        quantize.Input.Add(x);
        quantize.Output.AddRange(new[] { q, scale, zero });
        _graph.Node.Add(quantize);

        string product = Node("MatMulInteger", new[] { q, weightQ, zero });
        string asFloat = Node("Cast", new[] { product }, null, Attr.Int("to", (int)TensorProto.Types.DataType.Float));
        string y = Mul(asFloat, Mul(scale, weightScale));
        return bias is null ? y : Add(y, bias);
    }
}
