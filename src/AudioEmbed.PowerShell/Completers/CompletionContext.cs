using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AudioEmbed.Core.Store;

namespace AudioEmbed.PowerShell.Completers;

/// <summary>
/// What a completer knows about the command line typed so far: the model families it names (-Model, or the
/// command's default), the variant and the store (-ModelPath). Completion never throws at the user: a broken catalog
/// or store just offers nothing.
/// </summary>
internal static class CompletionContext
{
    /// <summary>The families named by -Model (one or several); without -Model, the command's default family, or all.</summary>
    public static IReadOnlyList<ModelFamilyInfo> Families(string commandName, IDictionary fakeBoundParameters)
    {
        try
        {
            var catalog = ModuleContext.Catalog;
            var named = Names(fakeBoundParameters["Model"]).ToList();
            if (named.Count == 0)
                return DefaultFamily(commandName) is { } d ? catalog.Families.Where(f => Same(f.Name, d)).ToList() : catalog.Families;
            return catalog.Families.Where(f => named.Any(n => Same(f.Name, n))).ToList();
        }
        catch (Exception) { return Array.Empty<ModelFamilyInfo>(); }
    }

    /// <summary>Get-AudioEmbedding runs MusiCNN without -Model; the other commands then cover every family.</summary>
    private static string? DefaultFamily(string commandName) =>
        string.Equals(commandName, "Get-AudioEmbedding", StringComparison.OrdinalIgnoreCase) ? GetAudioEmbeddingCommand.DefaultModel : null;

    public static string? Variant(IDictionary fakeBoundParameters) => Names(fakeBoundParameters["Variant"]).FirstOrDefault();

    /// <summary>The store -ModelPath names (relative to the current PowerShell location), else the default one.</summary>
    public static ModelStore? Store(IDictionary fakeBoundParameters)
    {
        try
        {
            string? path = Names(fakeBoundParameters["ModelPath"]).FirstOrDefault();
            if (path != null)
            {
                try { path = Runspace.DefaultRunspace?.SessionStateProxy.Path.GetUnresolvedProviderPathFromPSPath(path) ?? Path.GetFullPath(path); }
                catch (Exception) { path = Path.GetFullPath(path); }
            }
            return ModuleContext.Store(path);
        }
        catch (Exception) { return null; }
    }

    public static bool Matches(string candidate, string wordToComplete) =>
        candidate.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase);

    /// <summary>A value to insert: quoted when PowerShell would otherwise split or expand it.</summary>
    public static CompletionResult Result(string value, string tooltip) =>
        new(value.IndexOfAny(new[] { ' ', '$', '\'', '"', '`', '(', ')', ';', ',', '{', '}', '@', '#' }) >= 0 ? $"'{value.Replace("'", "''")}'" : value,
            value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(tooltip) ? value : tooltip);

    private static IEnumerable<string> Names(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        PSObject pso => Names(pso.BaseObject),
        IEnumerable e => e.Cast<object?>().SelectMany(Names),
        var other => new[] { other.ToString() ?? "" },
    };

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
