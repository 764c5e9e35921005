namespace AudioEmbed.Core.Onnx;

/// <summary>
/// The arithmetic of a converted transformer's Linear layers. Int8: weights stored as int8 (one scale per output
/// channel), activations quantised to uint8 at run time (dynamic quantisation); everything else stays float32.
/// </summary>
public enum Precision
{
    Float32,
    Int8,
}
