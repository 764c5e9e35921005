using System.Management.Automation;
using AudioEmbed.Core.Store;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>Lists the catalog's models and variants with their installed state, size and location.</summary>
[Cmdlet(VerbsCommon.Get, "AudioEmbedModel")]
[OutputType(typeof(ModelStatus))]
public sealed class GetAudioEmbedModelCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [ValidateModelFamily]
    [ArgumentCompleter(typeof(ModelFamilyCompleter))]
    public string? Model { get; set; }

    /// <summary>Only variants whose name matches (wildcards allowed), catalog or custom.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VariantCompleter))]
    public string? Variant { get; set; }

    [Parameter]
    public SwitchParameter Installed { get; set; }

    [Parameter]
    public string? ModelPath { get; set; }

    protected override void EndProcessing()
    {
        var store = ModuleContext.Store(ModelPath);
        WriteVerbose($"Model store: '{store.Home}'");
        var variant = string.IsNullOrEmpty(Variant) ? null : new WildcardPattern(Variant, WildcardOptions.IgnoreCase);
        foreach (var status in store.List(Model))
            if ((!Installed || status.Installed) && (variant is null || variant.IsMatch(status.Variant))) WriteObject(status);
    }
}
