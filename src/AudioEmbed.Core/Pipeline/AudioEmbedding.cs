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
    /// <summary>
    /// With Pooling None: where each row of <see cref="Sequence"/> starts, in seconds from the start of the audio
    /// (computed from sample indices at the model's rate: a patch's or frame's first sample); otherwise null.
    /// </summary>
    public double[]? FrameTimes { get; init; }
    /// <summary>The audio that decoded (and was embedded).</summary>
    public TimeSpan Duration { get; init; }
    /// <summary>Set when the file decoded to fewer samples than its header declared: both lengths.</summary>
    public Audio.TruncatedAudio? Truncation { get; init; }
    /// <summary>True when the file was cut short of its declared length; the embedding covers <see cref="Duration"/>.</summary>
    public bool Truncated => Truncation is not null;
    /// <summary>The length the file's header declares, when it is longer than what decoded (see <see cref="Truncation"/>).</summary>
    public TimeSpan? DeclaredDuration => Truncation?.DeclaredDuration;
    /// <summary>Native sample rate of the audio file.</summary>
    public int SampleRate { get; init; }
    /// <summary>
    /// What brought the audio to the model's rate: "soxr_hq", "torchaudio", "resampy-0.4.2" / "resampy-0.2.2", or
    /// "none" when the file was already at that rate (recorded in manifest.jsonl).
    /// </summary>
    public string Resampler { get; init; } = "";
    /// <summary>
    /// The resampling recipe the embedding was computed with (<see cref="Audio.Resampling.ResampleRecipe.Name"/>:
    /// "soxr_hq", "torchaudio", "resampy-0.4.2" / "resampy-0.2.2"), also when <see cref="Resampler"/> is "none": part
    /// of its configuration, so Export-EmbeddingNpy files a non-default recipe's embeddings in their own folder. Empty
    /// for an embedding imported from a folder that does not say.
    /// </summary>
    public string ResamplingRecipe { get; init; } = "";
    /// <summary>Model input units the embedding pools: patches (MusiCNN) or frames (transformers).</summary>
    public int Patches { get; init; }
    public string Device { get; init; } = "";
    public TimeSpan Elapsed { get; init; }
    public TagScore[]? Tags { get; init; }
    /// <summary>SHA-256 of the converted model that computed it (recorded in the output folder's manifest).</summary>
    public string ModelHash { get; init; } = "";

    /// <summary>
    /// The array Export-EmbeddingNpy writes: (Dimension,) or (rows, Dimension) with -Pooling None; with -Layer All
    /// the layers get their own, first, axis: (layers, width) or (layers, rows, width), as
    /// <c>torch.stack(outputs.hidden_states)</c> in the MERT model card, so that x[k] is layer k (its sequence, or
    /// its pooled vector) and the pooled array is the sequence's mean over axis 1.
    /// </summary>
    public (float[] Values, int[] Shape) ToArray()
    {
        int width = Dimension / Math.Max(1, LayerCount);
        if (Sequence is null)
            return (Vector, LayerCount > 1 ? new[] { LayerCount, width } : new[] { Vector.Length });
        int rows = Sequence.Length;
        var flat = new float[rows * Dimension];
        if (LayerCount <= 1)
        {
            for (int r = 0; r < rows; r++) Sequence[r].CopyTo(flat, r * Dimension);
            return (flat, new[] { rows, Dimension });
        }
        // Each row holds every layer's values side by side; layer k's slice of row r goes to [k, r, :].
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < LayerCount; k++)
                Sequence[r].AsSpan(k * width, width).CopyTo(flat.AsSpan((k * rows + r) * width, width));
        return (flat, new[] { LayerCount, rows, width });
    }

    /// <summary>How <see cref="ToArray"/> orders a -Layer All sequence's axes (recorded in manifest.jsonl; older files were frames, layers, hidden).</summary>
    public const string LayersFirstLayout = "layers,frames,hidden";
}
