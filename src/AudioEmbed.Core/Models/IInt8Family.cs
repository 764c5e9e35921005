namespace AudioEmbed.Core.Models;

/// <summary>
/// A family whose converted models also run in <see cref="Onnx.Precision.Int8"/>: it names the weights (ONNX
/// initializers of its float32 graph) that become dynamic int8. Families without it (MusiCNN) are float32 only.
/// </summary>
internal interface IInt8Family
{
    bool IsInt8Weight(string initializer);
}
