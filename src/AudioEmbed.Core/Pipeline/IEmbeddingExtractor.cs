namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// A loaded model that turns audio into layer rows. One per (model, variant, device); thread-safe. Families build
/// theirs on <see cref="StreamingExtractor"/>.
/// </summary>
internal interface IEmbeddingExtractor
{
    Onnx.ExecutionDevice Device { get; }

    /// <summary>How the family brings audio to its rate before its front end.</summary>
    Audio.Resampling.ResampleRecipe Resampling { get; }

    /// <summary>Every row of the layer (Pooling None).</summary>
    LayerRows Extract(Audio.IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct);

    /// <summary>
    /// The rows already pooled by <paramref name="request"/>'s Pooling (Mean or Max): one row, RowCount 1, equal to
    /// <see cref="Pooler"/> over <see cref="Extract"/>'s rows, pooled as they come so the sequence is never held.
    /// </summary>
    LayerRows ExtractPooled(Audio.IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct);
}
