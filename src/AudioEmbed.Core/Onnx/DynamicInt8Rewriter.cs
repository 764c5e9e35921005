using System.Runtime.InteropServices;
using Google.Protobuf;
using AudioEmbed.Core.Onnx.Proto;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Turns the float32 Linear layers of a converted model into dynamic int8, in place:
/// <code>
///   MatMul(x, W) [→ Add(·, b)]   becomes
///   DynamicQuantizeLinear(x) → x_q (uint8), x_scale, x_zero
///   MatMulInteger(x_q, W_q (int8, in × out), x_zero) → Cast(float) → Mul(·, Mul(x_scale, W_scale[out])) [→ Add(·, b)]
/// </code>
/// for every MatMul whose weight is a 2-D float32 initializer the caller selects (by name). Weights are quantised
/// per output channel (<see cref="Int8WeightQuantizer"/>); a weight several MatMuls share is quantised once.
/// The replacement is exactly the shape ONNX Runtime's optimiser fuses into one com.microsoft DynamicQuantizeMatMul
/// (or MatMulIntegerToFloat when several layers read the same x: its common-subexpression pass merges their
/// quantisers) — a prepacked int8 GEMM per layer — while the file stays a standard ONNX model (opset ≥ 10).
/// Working on the finished graph, not the checkpoint, lets the store derive an int8 copy of an installed model
/// whose downloaded checkpoint is long gone.
/// </summary>
internal static class DynamicInt8Rewriter
{
    /// <summary>Rewrites the selected layers and records <see cref="Precision.Int8"/> in the metadata; returns how many MatMuls were rewritten.</summary>
    public static int Apply(ModelProto model, Func<string, bool> selectWeight)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var names = new HashSet<string>(initializers.Keys, StringComparer.Ordinal);
        foreach (var n in graph.Node) names.UnionWith(n.Output);
        foreach (var i in graph.Input) names.Add(i.Name);
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
            foreach (var input in n.Input)
                (consumers.TryGetValue(input, out var list) ? list : consumers[input] = new List<NodeProto>()).Add(n);

        var quantised = new Dictionary<string, (string Values, string Scales)>(StringComparer.Ordinal);
        var replaced = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        var result = new List<NodeProto>(graph.Node.Count);
        int rewritten = 0;
        foreach (var node in graph.Node)
        {
            if (replaced.Contains(node)) continue; // a bias Add folded into the layer before it
            if (node.OpType != "MatMul" || node.Domain.Length != 0 || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weight) || !IsFloatMatrix(weight) || !selectWeight(weight.Name))
            {
                result.Add(node);
                continue;
            }
            if (!quantised.TryGetValue(weight.Name, out var q))
            {
                q = Quantise(weight, names, graph);
                quantised[weight.Name] = q;
            }
            var bias = BiasAdd(node, initializers, consumers, graphOutputs, (int)weight.Dims[1]);
            string output = bias?.Output[0] ?? node.Output[0];
            string Name(string suffix) => Unique(names, $"{node.Output[0]}.{suffix}");
            string xq = Name("x_q"), xScale = Name("x_scale"), xZero = Name("x_zero");
            string product = Name("int32"), asFloat = Name("float"), scale = Name("scale"), scaled = bias is null ? output : Name("scaled");

            result.Add(NewNode("DynamicQuantizeLinear", new[] { node.Input[0] }, new[] { xq, xScale, xZero }));
            result.Add(NewNode("MatMulInteger", new[] { xq, q.Values, xZero }, new[] { product }));
            var cast = NewNode("Cast", new[] { product }, new[] { asFloat });
            cast.Attribute.Add(Attr.Int("to", (int)TensorProto.Types.DataType.Float));
            result.Add(cast);
            result.Add(NewNode("Mul", new[] { xScale, q.Scales }, new[] { scale }));
            result.Add(NewNode("Mul", new[] { asFloat, scale }, new[] { scaled }));
            if (bias != null)
            {
                result.Add(NewNode("Add", new[] { scaled, bias.Input[1] }, new[] { output }));
                replaced.Add(bias);
            }
            rewritten++;
        }

        graph.Node.Clear();
        graph.Node.AddRange(result);
        // Float weights no node reads any more (all their MatMuls were rewritten) leave the file.
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(t => quantised.ContainsKey(t.Name) && !read.Contains(t.Name)).ToList();
        foreach (var t in unused) graph.Initializer.Remove(t);

        var precision = model.MetadataProps.FirstOrDefault(p => p.Key == OnnxGraphBuilder.PrecisionMetadata);
        if (precision is null) model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxGraphBuilder.PrecisionMetadata, Value = nameof(Precision.Int8) });
        else precision.Value = nameof(Precision.Int8);
        return rewritten;
    }

    /// <summary>The Add(MatMul output, b) right after the MatMul, with b a constant [out] vector, when it is the output's only reader.</summary>
    private static NodeProto? BiasAdd(NodeProto matMul, Dictionary<string, TensorProto> initializers, Dictionary<string, List<NodeProto>> consumers,
        HashSet<string> graphOutputs, int outputs)
    {
        string y = matMul.Output[0];
        if (graphOutputs.Contains(y) || !consumers.TryGetValue(y, out var readers) || readers.Count != 1) return null;
        var add = readers[0];
        if (add.OpType != "Add" || add.Domain.Length != 0 || add.Input.Count != 2 || add.Input[0] != y) return null;
        return initializers.TryGetValue(add.Input[1], out var b) && b.DataType == (int)TensorProto.Types.DataType.Float
            && b.Dims.Count == 1 && b.Dims[0] == outputs ? add : null;
    }

    private static (string Values, string Scales) Quantise(TensorProto weight, HashSet<string> names, GraphProto graph)
    {
        int inputs = (int)weight.Dims[0], outputs = (int)weight.Dims[1];
        var values = FloatValues(weight);
        var (q, scales) = Int8WeightQuantizer.PerOutputChannel(values, inputs, outputs);
        var qTensor = new TensorProto { Name = Unique(names, weight.Name + ".int8"), DataType = (int)TensorProto.Types.DataType.Int8 };
        qTensor.Dims.Add(inputs);
        qTensor.Dims.Add(outputs);
        qTensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(q.AsSpan()));
        var sTensor = new TensorProto { Name = Unique(names, weight.Name + ".scale"), DataType = (int)TensorProto.Types.DataType.Float };
        sTensor.Dims.Add(outputs);
        sTensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(scales.AsSpan()));
        graph.Initializer.Add(qTensor);
        graph.Initializer.Add(sTensor);
        return (qTensor.Name, sTensor.Name);
    }

    private static bool IsFloatMatrix(TensorProto t) =>
        t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 2 && t.DataLocation != TensorProto.Types.DataLocation.External;

    /// <summary>The values of a float32 initializer, from raw_data (what our builder writes) or float_data.</summary>
    private static float[] FloatValues(TensorProto t)
    {
        long count = t.Dims.Aggregate(1L, (a, d) => a * d);
        if (t.RawData.Length > 0)
        {
            if (t.RawData.Length != count * sizeof(float))
                throw new InvalidDataException($"initializer '{t.Name}' holds {t.RawData.Length} bytes, not the {count * sizeof(float)} its shape needs");
            return MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        }
        if (t.FloatData.Count != count)
            throw new InvalidDataException($"initializer '{t.Name}' holds {t.FloatData.Count} values, not the {count} its shape needs");
        return t.FloatData.ToArray();
    }

    private static NodeProto NewNode(string opType, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = opType, Name = outputs[0] + "/" + opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static string Unique(HashSet<string> names, string wanted)
    {
        string name = wanted;
        for (int i = 1; !names.Add(name); i++) name = $"{wanted}_{i}";
        return name;
    }
}
