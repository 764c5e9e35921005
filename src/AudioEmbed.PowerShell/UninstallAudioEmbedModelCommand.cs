using System.Management.Automation;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Removes an installed model (a catalog variant or a custom name) from the store. Takes Get-AudioEmbedModel's objects
/// from the pipeline. Only the store's converted model goes: the Hugging Face cache it may have come from is never touched.
/// </summary>
[Cmdlet(VerbsLifecycle.Uninstall, "AudioEmbedModel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ModelStatus))]
public sealed class UninstallAudioEmbedModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateModelFamily]
    [ArgumentCompleter(typeof(ModelFamilyCompleter))]
    public string Model { get; set; } = "";

    /// <summary>The catalog variant or custom name (default: the model's default variant).</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VariantCompleter))]
    public string? Variant { get; set; }

    [Parameter]
    public string? ModelPath { get; set; }

    /// <summary>The installed folder, bound from Get-AudioEmbedModel's Location so a piped model is removed from the store it was listed in.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [Alias("Location")]
    public string? InstalledLocation { get; set; }

    /// <summary>Writes the model's status (now not installed) after removing it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        var store = ModuleContext.Store(ModelPath ?? StoreHomeOf(InstalledLocation));
        try
        {
            var family = store.Catalog.Family(Model);
            var installed = store.Find(family.Name, Variant);
            string name = installed?.Manifest.Variant ?? Variant ?? family.DefaultVariant;
            if (installed is null)
            {
                WriteWarning($"{family.Name} {name} is not installed in '{store.Home}': nothing to remove.");
                return;
            }
            if (!ShouldProcess($"{family.Name} {name} at '{installed.Directory}'", "Remove the converted model (the Hugging Face cache is not touched)"))
                return;
            SessionFactory.Forget(installed.OnnxPath);
            var removed = store.Uninstall(family.Name, name, _cancel.Token);
            WriteVerbose(removed is null ? $"{family.Name} {name} was already gone." : $"Removed '{removed}'.");
            if (PassThru)
                foreach (var s in store.List(family.Name).Where(s => s.Variant == name)) WriteObject(s);
        }
        catch (ModelStoreException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.UninstallFailed, ErrorCategory.InvalidOperation, Variant ?? Model));
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
    }

    /// <summary>&lt;home&gt;/models/&lt;family&gt;/&lt;variant&gt; → &lt;home&gt;; null when the location is not shaped like a store folder.</summary>
    private static string? StoreHomeOf(string? location)
    {
        if (string.IsNullOrWhiteSpace(location)) return null;
        var family = Path.GetDirectoryName(Path.GetFullPath(location).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        var models = family is null ? null : Path.GetDirectoryName(family);
        return models != null && Path.GetFileName(models) == "models" ? Path.GetDirectoryName(models) : null;
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
