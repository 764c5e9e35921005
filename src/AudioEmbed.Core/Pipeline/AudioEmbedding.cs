namespace AudioEmbed.Core.Pipeline;

/// <summary>The embedding of one audio file, with what it takes to reproduce and file it.</summary>
public sealed class AudioEmbedding
{
    /// <summary>Full path of the audio file (or of the .npy it was imported from).</summary>
    public string Path { get; init; } = "";
    /// <summary>Song name: the audio file's base name, used for the .npy name.</summary>
    public string Name { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>Output folder of the model family (musicnn, mert, encodecmae).</summary>
    public string ModelFolder { get; init; } = "";
    public string Variant { get; init; } = "";
    public string Layer { get; init; } = "";
    public Pooling Pooling { get; init; }
    /// <summary>Float32, or Int8 when computed with -Precision Int8 (part of the configuration that picks the output folder).</summary>
    public Onnx.Precision Precision { get; init; }
    public int Dimension { get; init; }
    /// <summary>With -Layer All: how many layers the Dimension holds side by side (each Dimension / LayerCount wide); else 1.</summary>
    public int LayerCount { get; init; } = 1;
    /// <summary>The pooled embedding; for Pooling None, the mean of the sequence (handy for quick similarity).</summary>
    public float[] Vector { get; init; } = Array.Empty<float>();
    /// <summary>Rows × Dimension when Pooling is None, otherwise null.</summary>
    public float[][]? Sequence { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Native sample rate of the audio file.</summary>
    public int SampleRate { get; init; }
    /// <summary>Model input units the embedding pools: patches (MusiCNN) or frames (transformers).</summary>
    public int Patches { get; init; }
    public string Device { get; init; } = "";
    public TimeSpan Elapsed { get; init; }
    public TagScore[]? Tags { get; init; }
    /// <summary>SHA-256 of the converted model that computed it (recorded in the output folder's manifest).</summary>
    public string ModelHash { get; init; } = "";

    /// <summary>
    /// The array Export-EmbeddingNpy writes: (Dimension,) or (rows, Dimension) with -Pooling None; with -Layer All
    /// the layers get their own axis: (layers, width) or (rows, layers, width).
    /// </summary>
    public (float[] Values, int[] Shape) ToArray()
    {
        int width = Dimension / Math.Max(1, LayerCount);
        if (Sequence is null)
            return (Vector, LayerCount > 1 ? new[] { LayerCount, width } : new[] { Vector.Length });
        var flat = new float[Sequence.Length * Dimension];
        for (int r = 0; r < Sequence.Length; r++) Sequence[r].CopyTo(flat, r * Dimension);
        return (flat, LayerCount > 1 ? new[] { Sequence.Length, LayerCount, width } : new[] { Sequence.Length, Dimension });
    }
}
