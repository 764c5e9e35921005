using System.Globalization;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// The layer an embedding is taken from: "last" (upstream's last_hidden_state, the default), a hidden-state
/// index "0" … "L" (0 = the transformer's input, L = last), or "average" (the element-wise mean of all L+1
/// hidden states, frame by frame), or "all" (every hidden state: a row per frame of (L+1)·D values, layer-major,
/// so a pooled vector reshapes to (L+1, D) with hidden_0 first).
/// </summary>
internal readonly record struct MertLayer(int Index, MertLayerKind Kind)
{
    public const string Last = "last";
    public const string Mean = "average";
    public const string Every = "all";

    public static MertLayer Parse(string layer, int layers)
    {
        if (string.Equals(layer, Last, StringComparison.OrdinalIgnoreCase)) return new MertLayer(layers, MertLayerKind.Single);
        if (string.Equals(layer, Mean, StringComparison.OrdinalIgnoreCase)) return new MertLayer(-1, MertLayerKind.Average);
        if (string.Equals(layer, Every, StringComparison.OrdinalIgnoreCase)) return new MertLayer(-1, MertLayerKind.All);
        if (int.TryParse(layer, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= layers) return new MertLayer(n, MertLayerKind.Single);
        throw new ArgumentException($"MERT has no layer '{layer}': use '{Last}', '{Mean}', '{Every}' or a hidden-state index 0 … {layers}.", nameof(layer));
    }

    /// <summary>The graph outputs to fetch.</summary>
    public string[] Outputs(int layers) => Kind == MertLayerKind.Single
        ? new[] { MertGraph.HiddenName(Index) }
        : Enumerable.Range(0, layers + 1).Select(MertGraph.HiddenName).ToArray();

    /// <summary>Values per row for hidden size <paramref name="hidden"/>.</summary>
    public int RowWidth(int layers, int hidden) => Kind == MertLayerKind.All ? (layers + 1) * hidden : hidden;

    /// <summary>Catalog layer names of a model with <paramref name="layers"/> transformer layers (all of dimension D except "all").</summary>
    public static IEnumerable<string> Names(int layers) =>
        new[] { Last, Mean }.Concat(Enumerable.Range(0, layers + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)));
}

internal enum MertLayerKind
{
    Single,
    Average,
    All,
}
