using System.Management.Automation;
using AudioEmbed.Core.Store;

namespace AudioEmbed.PowerShell;

/// <summary>Lists the catalog's models and variants with their installed state, size and location.</summary>
[Cmdlet(VerbsCommon.Get, "AudioEmbedModel")]
[OutputType(typeof(ModelStatus))]
public sealed class GetAudioEmbedModelCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [ValidateSet("MusiCNN", "Mert", "EnCodecMAE", IgnoreCase = true)]
    public string? Model { get; set; }

    [Parameter]
    public SwitchParameter Installed { get; set; }

    [Parameter]
    public string? ModelPath { get; set; }

    protected override void EndProcessing()
    {
        var store = ModuleContext.Store(ModelPath);
        WriteVerbose($"Model store: '{store.Home}'");
        foreach (var status in store.List(Model))
            if (!Installed || status.Installed) WriteObject(status);
    }
}
