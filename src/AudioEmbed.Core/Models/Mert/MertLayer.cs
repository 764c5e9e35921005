using System.Globalization;

namespace AudioEmbed.Core.Models.Mert;

/// <summary>
/// The layer an embedding is taken from: "last" (upstream's last_hidden_state, the default), a hidden-state
/// index "0" … "L" (0 = the transformer's input, L = last), or "average" (the element-wise mean of all L+1
/// hidden states, frame by frame).
/// </summary>
internal readonly record struct MertLayer(int Index, bool Average)
{
    public const string Last = "last";
    public const string Mean = "average";

    public static MertLayer Parse(string layer, int layers)
    {
        if (string.Equals(layer, Last, StringComparison.OrdinalIgnoreCase)) return new MertLayer(layers, false);
        if (string.Equals(layer, Mean, StringComparison.OrdinalIgnoreCase)) return new MertLayer(-1, true);
        if (int.TryParse(layer, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= layers) return new MertLayer(n, false);
        throw new ArgumentException($"MERT has no layer '{layer}': use '{Last}', '{Mean}' or a hidden-state index 0 … {layers}.", nameof(layer));
    }

    /// <summary>The graph outputs to fetch.</summary>
    public string[] Outputs(int layers) => Average
        ? Enumerable.Range(0, layers + 1).Select(MertGraph.HiddenName).ToArray()
        : new[] { MertGraph.HiddenName(Index) };

    /// <summary>Catalog layer names of a model with <paramref name="layers"/> transformer layers.</summary>
    public static IEnumerable<string> Names(int layers) =>
        new[] { Last, Mean }.Concat(Enumerable.Range(0, layers + 1).Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
