namespace AudioEmbed.Core.Pipeline;

/// <summary>The layer names every family with numbered layers offers, besides the numbers themselves.</summary>
public static class LayerNames
{
    /// <summary>The model's final representation (upstream's last_hidden_state).</summary>
    public const string Last = "last";

    /// <summary>The element-wise mean of every numbered layer, frame by frame.</summary>
    public const string Average = "average";

    /// <summary>Every numbered layer: a row per frame holding them side by side, layer 0 first.</summary>
    public const string All = "all";
}
