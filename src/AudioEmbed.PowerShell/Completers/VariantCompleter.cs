using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AudioEmbed.PowerShell.Completers;

/// <summary>
/// Tab completion of -Variant for the -Model typed (or the command's default): the catalog's variants, then the
/// custom checkpoints installed in the store under a name of the user's (Install-AudioEmbedModel -Name).
/// </summary>
public sealed class VariantCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = new List<CompletionResult>();
        var store = CompletionContext.Store(fakeBoundParameters);
        foreach (var family in CompletionContext.Families(commandName, fakeBoundParameters))
        {
            foreach (var v in family.Variants)
                if (CompletionContext.Matches(v.Name, wordToComplete))
                    results.Add(CompletionContext.Result(v.Name, $"{family.Name}: {v.Description}"));
            if (store is null) continue;
            IReadOnlyList<Core.Store.ModelManifest> custom;
            try { custom = store.CustomVariants(family.Name); }
            catch (Exception) { continue; }
            foreach (var m in custom)
                if (CompletionContext.Matches(m.Variant, wordToComplete))
                    results.Add(CompletionContext.Result(m.Variant, $"{family.Name}: custom checkpoint on the {m.BaseVariant} architecture"));
        }
        return results;
    }
}

/// <summary>Tab completion of the catalog's variants only (Install-AudioEmbedModel -Variant: the architecture to install).</summary>
public sealed class CatalogVariantCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var family in CompletionContext.Families(commandName, fakeBoundParameters))
            foreach (var v in family.Variants)
                if (CompletionContext.Matches(v.Name, wordToComplete))
                    yield return CompletionContext.Result(v.Name, $"{family.Name}: {v.Description}");
    }
}
