using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// MERT's layers in the shared <see cref="LayerSelection"/>: hidden states 0 … L (0 = the transformer's input,
/// L = last, upstream's last_hidden_state), "average" (the mean of all L+1) and "all" (all L+1 side by side, so a
/// pooled vector reshapes to (L+1, D) with hidden_0 first).
/// </summary>
internal static class MertLayer
{
    /// <summary>The numbered layers of a model with <paramref name="layers"/> transformer layers.</summary>
    public static NumberedLayers Numbered(int layers) =>
        new("MERT", layers + 1, MertGraph.HiddenName, MertGraph.HiddenName(layers), "hidden-state index");

    /// <summary>Catalog layer names of a model with <paramref name="layers"/> transformer layers (all of dimension D except "all").</summary>
    public static IEnumerable<string> Names(int layers) => Numbered(layers).Names();
}
