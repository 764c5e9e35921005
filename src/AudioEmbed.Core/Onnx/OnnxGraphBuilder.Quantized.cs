namespace AudioEmbed.Core.Onnx;

/// <summary>Reduced-precision variants of a built graph.</summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>Model metadata key holding the <see cref="Precision"/> of the graph's Linear layers.</summary>
    public const string PrecisionMetadata = "audioembed.precision";

    /// <summary>
    /// Makes the Linear layers (MatMul by a constant weight, with their bias Add) whose weight name
    /// <paramref name="selectWeight"/> accepts dynamic int8; see <see cref="DynamicInt8Rewriter"/>.
    /// </summary>
    public int QuantizeLinears(Func<string, bool> selectWeight) => DynamicInt8Rewriter.Apply(_model, selectWeight);
}
