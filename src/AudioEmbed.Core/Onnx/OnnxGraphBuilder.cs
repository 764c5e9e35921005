using System.Runtime.InteropServices;
using Google.Protobuf;
using AudioEmbed.Core.Onnx.Proto;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Builds an ONNX model in memory: inputs, float32 initializers, nodes and outputs, then serialises it.
/// Every model family's converter uses it, so the converters describe architecture and never bytes.
/// Node outputs get unique generated names unless the caller names them; the op helpers return the
/// name of the value they produce, which keeps graph code close to the forward pass it mirrors.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>Opset 17: LayerNormalization exists; Reduce* still take axes as an attribute.</summary>
    public const int DefaultOpset = 17;
    private const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly ModelProto _model;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string graphName, int opset = DefaultOpset)
    {
        _graph = new GraphProto { Name = graphName };
        _model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "AudioEmbed",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>Adds a float32 graph input. A null dimension is symbolic (named <c>dim{i}</c> unless <paramref name="dimNames"/> says otherwise).</summary>
    public string Input(string name, long?[] shape, string[]? dimNames = null)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, shape, dimNames));
        return name;
    }

    /// <summary>Declares an existing value as a graph output (shape optional: ONNX Runtime infers it).</summary>
    public void Output(string valueName, string? outputName = null, long?[]? shape = null, string[]? dimNames = null)
    {
        string name = outputName ?? valueName;
        if (outputName != null && outputName != valueName)
        {
            Claim(outputName);
            Node("Identity", new[] { valueName }, outputName);
        }
        _graph.Output.Add(ValueInfo(name, shape, dimNames));
    }

    /// <summary>A float32 constant tensor stored as raw little-endian bytes.</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = 1;
        foreach (var d in dims) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"initializer '{name}': dims ({string.Join(", ", dims)}) hold {count} values, {values.Length} given");
        Claim(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>An int64 constant (shapes, axes, pads for ops that take them as inputs).</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        Claim(name);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, string[] inputs, string? output = null, params AttributeProto[] attributes)
    {
        output ??= Fresh(opType);
        if (!_names.Contains(output)) Claim(output);
        var node = new NodeProto { OpType = opType, Name = output + "/" + opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public void Metadata(string key, string value) =>
        _model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });

    public byte[] ToBytes() => _model.ToByteArray();

    public void WriteTo(Stream stream) => _model.WriteTo(stream);

    /// <summary>A unique name with a readable prefix, for intermediate values.</summary>
    public string Fresh(string prefix)
    {
        string name;
        do name = $"{prefix}_{_counter++}"; while (_names.Contains(name));
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new ArgumentException($"the graph already has a value named '{name}'");
    }

    private static ValueInfoProto ValueInfo(string name, long?[]? shape, string[]? dimNames)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (shape != null)
        {
            tensor.Shape = new TensorShapeProto();
            for (int i = 0; i < shape.Length; i++)
            {
                var dim = new TensorShapeProto.Types.Dimension();
                if (shape[i] is long v) dim.DimValue = v;
                else dim.DimParam = dimNames?[i] ?? $"dim{i}";
                tensor.Shape.Dim.Add(dim);
            }
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
