using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AudioEmbed.PowerShell.Completers;

/// <summary>Tab completion of -Model: the families of models/catalog.json (a new family needs no change here).</summary>
public sealed class ModelFamilyCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        List<Core.Store.ModelFamilyInfo> families;
        try { families = ModuleContext.Catalog.Families; }
        catch (Exception) { yield break; } // completion must never throw at the user
        foreach (var family in families)
            if (CompletionContext.Matches(family.Name, wordToComplete))
                yield return CompletionContext.Result(family.Name, $"{family.Name}: {family.Variants.Count} variants, {family.SampleRate} Hz (default {family.DefaultVariant})");
    }
}
