namespace AudioEmbed.Core.Pipeline;

/// <summary>A loaded model that turns audio into layer rows. One per (model, variant, device); thread-safe.</summary>
internal interface IEmbeddingExtractor
{
    Onnx.ExecutionDevice Device { get; }

    LayerRows Extract(Audio.IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct);
}
