using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AudioEmbed.PowerShell;

/// <summary>Tab completion of -Variant from the catalog, for the -Model already typed (default MusiCNN).</summary>
public sealed class VariantCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var family in CompletionSupport.Families(fakeBoundParameters))
            foreach (var v in family.Variants)
                if (v.Name.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(v.Name, v.Name, CompletionResultType.ParameterValue, $"{family.Name}: {v.Description}");
    }
}

/// <summary>Tab completion of -Layer from the catalog entry of the chosen model and variant.</summary>
public sealed class LayerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? variant = fakeBoundParameters["Variant"] as string;
        var layers = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var family in CompletionSupport.Families(fakeBoundParameters))
            foreach (var v in family.Variants)
                if (variant is null || string.Equals(v.Name, variant, StringComparison.OrdinalIgnoreCase))
                    foreach (var (layer, dim) in v.Layers) layers.Add(layer);
        foreach (var layer in layers)
            if (layer.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(layer, layer, CompletionResultType.ParameterValue, layer);
    }
}

internal static class CompletionSupport
{
    public static IEnumerable<Core.Store.ModelFamilyInfo> Families(IDictionary fakeBoundParameters)
    {
        string model = fakeBoundParameters["Model"] as string ?? "MusiCNN";
        try { return ModuleContext.Catalog.Families.Where(f => string.Equals(f.Name, model, StringComparison.OrdinalIgnoreCase)).ToList(); }
        catch (Exception) { return Array.Empty<Core.Store.ModelFamilyInfo>(); } // completion must never throw at the user
    }
}
