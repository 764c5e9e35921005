using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AudioEmbed.PowerShell.Completers;

/// <summary>
/// Tab completion of -Layer: the layers of the chosen variant (or the family's default variant), read from the
/// installed model's manifest when there is one (a custom checkpoint may have more or fewer layers) and from the
/// catalog otherwise. Named layers come first (the default one leading), then layer numbers in numeric order.
/// </summary>
public sealed class LayerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var store = CompletionContext.Store(fakeBoundParameters);
        string? variant = CompletionContext.Variant(fakeBoundParameters);
        var layers = new Dictionary<string, (int Dimension, string Default)>(StringComparer.OrdinalIgnoreCase);
        foreach (var family in CompletionContext.Families(commandName, fakeBoundParameters))
        {
            string name = variant ?? family.DefaultVariant;
            IReadOnlyDictionary<string, int>? found = null;
            try { found = store?.VariantLayers(family.Name, name); } catch (Exception) { }
            found ??= family.Variants.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))?.Layers;
            string defaultLayer = family.Variants.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))?.DefaultLayer ?? "";
            foreach (var (layer, dim) in found ?? new Dictionary<string, int>())
                layers.TryAdd(layer, (dim, defaultLayer));
        }
        return Ordered(layers.Keys, layers.Values.FirstOrDefault().Default)
            .Where(l => CompletionContext.Matches(l, wordToComplete))
            .Select(l => CompletionContext.Result(l, $"{l}: {layers[l].Dimension} values" + (string.Equals(l, layers[l].Default, StringComparison.OrdinalIgnoreCase) ? " (default)" : "")));
    }

    /// <summary>The default layer, the other named layers in their catalog order, then numbers ascending (2 before 10).</summary>
    internal static IEnumerable<string> Ordered(IEnumerable<string> layers, string? defaultLayer)
    {
        var all = layers.ToList();
        var named = all.Where(l => !IsNumber(l)).OrderBy(l => string.Equals(l, defaultLayer, StringComparison.OrdinalIgnoreCase) ? 0 : 1);
        var numbers = all.Where(IsNumber).OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture));
        return named.Concat(numbers);
    }

    private static bool IsNumber(string layer) => layer.Length is > 0 and < 10 && layer.All(char.IsAsciiDigit);
}
