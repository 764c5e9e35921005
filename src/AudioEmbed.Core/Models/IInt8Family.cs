namespace AudioEmbed.Core.Models;

/// <summary>
/// A family whose converted models can run in <see cref="Onnx.Precision.Int8"/>: it names the weights (ONNX
/// initializers of its float32 graph) that become dynamic int8, and the architectures Int8 is offered for: those
/// where the int8 bench measured at least 1.5× the float32 speed with embeddings within cosine 0.999. Families
/// without it (MusiCNN) are float32 only.
/// </summary>
internal interface IInt8Family
{
    bool IsInt8Weight(string initializer);

    /// <summary>Whether Int8 is offered for models of this catalog variant's architecture (a custom checkpoint: its base variant).</summary>
    bool OffersInt8(string architectureVariant);
}
