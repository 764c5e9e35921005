namespace AudioEmbed.Core.Pipeline;

/// <summary>How the per-patch (or per-frame) rows of a layer become one embedding.</summary>
public enum Pooling
{
    /// <summary>Arithmetic mean over rows (the seed pipeline's behaviour).</summary>
    Mean,
    /// <summary>Element-wise maximum over rows.</summary>
    Max,
    /// <summary>No pooling: the whole sequence, rows × dimension (the seed's --full_sequence).</summary>
    None,
}
