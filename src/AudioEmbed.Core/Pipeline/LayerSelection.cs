using System.Globalization;

namespace AudioEmbed.Core.Pipeline;

/// <summary>What a layer name asks for; see <see cref="LayerSelection"/>.</summary>
internal enum LayerKind
{
    /// <summary>One graph output by its own name (MusiCNN's mean_pool, taggram, …).</summary>
    Named,
    /// <summary>One numbered layer.</summary>
    Index,
    /// <summary>The model's final representation (the highest number's output, or a final normalisation after it).</summary>
    Last,
    /// <summary>The element-wise mean of every numbered layer.</summary>
    Average,
    /// <summary>Every numbered layer side by side.</summary>
    All,
}

/// <summary>
/// One layer choice, the same for every family: <see cref="LayerNames.Last"/>, <see cref="LayerNames.Average"/>,
/// <see cref="LayerNames.All"/>, a layer number, or a graph output's own name. Which graph outputs it reads is the
/// family's <see cref="NumberedLayers"/>; how those outputs become rows is <see cref="LayerReader"/>.
/// </summary>
internal readonly record struct LayerSelection(LayerKind Kind, int Index, string Name)
{
    /// <summary>
    /// Parses a layer of a family with numbered layers (<paramref name="layers"/>.Count of them) and, optionally,
    /// named outputs. "last" is the highest number.
    /// </summary>
    public static LayerSelection Parse(string layer, NumberedLayers layers, IReadOnlyCollection<string>? named = null)
    {
        if (named?.FirstOrDefault(n => string.Equals(n, layer, StringComparison.OrdinalIgnoreCase)) is { } output) return new(LayerKind.Named, -1, output);
        if (layers.Count > 0)
        {
            if (string.Equals(layer, LayerNames.Last, StringComparison.OrdinalIgnoreCase)) return new(LayerKind.Last, layers.Count - 1, LayerNames.Last);
            if (string.Equals(layer, LayerNames.Average, StringComparison.OrdinalIgnoreCase)) return new(LayerKind.Average, -1, LayerNames.Average);
            if (string.Equals(layer, LayerNames.All, StringComparison.OrdinalIgnoreCase)) return new(LayerKind.All, -1, LayerNames.All);
            if (int.TryParse(layer, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < layers.Count) return new(LayerKind.Index, n, layer);
        }
        var choices = (named ?? Array.Empty<string>()).Concat(layers.Count > 0
            ? new[] { $"'{LayerNames.Last}'", $"'{LayerNames.Average}'", $"'{LayerNames.All}'", $"a {layers.What} 0 … {layers.Count - 1}" }
            : Array.Empty<string>());
        throw new ArgumentException($"{layers.Family} has no layer '{layer}': use {string.Join(", ", choices)}.", nameof(layer));
    }

    /// <summary>The graph outputs to fetch, in the order their rows are put side by side (or averaged).</summary>
    public string[] Outputs(NumberedLayers layers) => Kind switch
    {
        LayerKind.Named => new[] { Name },
        LayerKind.Last => new[] { layers.LastOutput },
        LayerKind.Index => new[] { layers.Output(Index) },
        _ => Enumerable.Range(0, layers.Count - 1).Select(layers.Output).Append(layers.LastOutput).ToArray(),
    };

    /// <summary>Values per row when each output holds rows of <paramref name="width"/> values.</summary>
    public int RowWidth(NumberedLayers layers, int width) => Kind == LayerKind.All ? layers.Count * width : width;
}

/// <summary>
/// A family's numbered layers: how many (0 … Count-1), the graph output of each, and the output "last" reads (the
/// highest number's, or a final normalisation after it). <see cref="What"/> names a number in error messages.
/// </summary>
internal sealed record NumberedLayers(string Family, int Count, Func<int, string> Output, string LastOutput, string What = "layer number")
{
    /// <summary>A family without numbered layers (only named outputs).</summary>
    public static NumberedLayers None(string family) => new(family, 0, _ => throw new InvalidOperationException("no numbered layers"), "");

    /// <summary>The catalog's layer names: last, average, 0 … Count-1 (each one row wide) and all.</summary>
    public IEnumerable<string> Names() =>
        new[] { LayerNames.Last, LayerNames.Average }.Concat(Enumerable.Range(0, Count).Select(i => i.ToString(CultureInfo.InvariantCulture)));
}
