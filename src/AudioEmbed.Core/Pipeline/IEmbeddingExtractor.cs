namespace AudioEmbed.Core.Pipeline;

/// <summary>A loaded model that turns audio into layer rows. One per (model, variant, device); thread-safe.</summary>
internal interface IEmbeddingExtractor
{
    Onnx.ExecutionDevice Device { get; }

    LayerRows Extract(Audio.IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct);

    /// <summary>
    /// The rows already pooled by <paramref name="request"/>'s Pooling (Mean or Max): one row, RowCount 1, equal to
    /// <see cref="Pooler"/> over <see cref="Extract"/>'s rows. Extractors whose rows grow with the file's length
    /// (transformers: 75 frames per second) override it to pool chunk by chunk and never hold the sequence.
    /// </summary>
    LayerRows ExtractPooled(Audio.IAudioSource audio, string layer, EmbeddingRequest request, CancellationToken ct)
    {
        var rows = Extract(audio, layer, request, ct);
        var pooled = request.Pooling == Pooling.Max
            ? Pooler.Max(rows.Rows, rows.RowCount, rows.Dimension)
            : Pooler.Mean(rows.Rows, rows.RowCount, rows.Dimension);
        return rows with { Rows = pooled, RowCount = 1 };
    }
}
