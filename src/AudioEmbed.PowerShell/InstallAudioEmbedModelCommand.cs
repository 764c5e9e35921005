using System.Management.Automation;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>Downloads (or takes from -SourcePath), verifies and converts a model checkpoint into the store.</summary>
[Cmdlet(VerbsLifecycle.Install, "AudioEmbedModel", SupportsShouldProcess = true)]
[OutputType(typeof(ModelStatus))]
public sealed class InstallAudioEmbedModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateModelFamily]
    [ArgumentCompleter(typeof(ModelFamilyCompleter))]
    public string Model { get; set; } = "";

    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(CatalogVariantCompleter))]
    public string? Variant { get; set; }

    /// <summary>A local checkpoint file, or a folder holding the catalog's file names (offline installs).</summary>
    [Parameter]
    public string? SourcePath { get; set; }

    /// <summary>Installs a checkpoint that is not in the catalog under this name (with the architecture of -Variant).</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepts a non-commercial licence (MERT's CC-BY-NC-4.0); without it such a variant is not installed.</summary>
    [Parameter]
    public SwitchParameter AcceptLicense { get; set; }

    [Parameter]
    public string? ModelPath { get; set; }

    private readonly CancellationTokenSource _cancel = new();

    protected override void ProcessRecord()
    {
        var store = ModuleContext.Store(ModelPath);
        string? source = SourcePath is null ? null : PathResolution.ResolveFolder(this, SourcePath);
        try
        {
            var family = store.Catalog.Family(Model);
            var variant = family.Variant(Variant);
            string target = Name ?? variant.Name;
            if (!ShouldProcess($"{family.Name} {target} into '{store.Home}'", source is null ? "Download and convert" : $"Convert '{source}'"))
                return;
            // Shown on the host, not only in -Verbose: what the user agrees to by installing.
            WriteInformation(new HostInformationMessage { Message = Name is null ? variant.LicenseNotice : $"{Name}: a checkpoint of yours on the {variant.Name} architecture; its own licence applies." },
                new[] { "PSHOST", "AudioEmbed.License" });
            WriteVerbose(family.Source);
            try { ModelStore.RequireLicenseAccepted(variant, Name, AcceptLicense); }
            catch (ModelStoreException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.LicenseNotAccepted, ErrorCategory.PermissionDenied, variant.Name));
                return;
            }
            var installed = store.Install(family.Name, variant.Name, source, Force, InstallCommandSupport.Progress(this), _cancel.Token, Name, AcceptLicense);
            foreach (var s in installed.Manifest.Sources.Where(s => !s.Pinned))
                WriteWarning($"'{s.Origin}' was installed unverified (SHA-256 {s.Sha256} recorded, none pinned in the catalog{(Name != null ? ": custom checkpoint" : "")}).");
            SessionFactory.Forget(installed.OnnxPath);
            InstallCommandSupport.Completed(this);
            WriteVerbose($"Installed {family.Name} {variant.Name} at '{installed.Directory}'.");
            WriteObject(store.List(family.Name).First(s => s.Variant == installed.Manifest.Variant));
        }
        catch (ModelStoreException ex)
        {
            InstallCommandSupport.Completed(this);
            WriteError(new ErrorRecord(ex, ErrorIds.InstallFailed, ErrorCategory.InvalidData, source ?? Model));
        }
        catch (Core.Checkpoints.CheckpointException ex)
        {
            InstallCommandSupport.Completed(this);
            WriteError(new ErrorRecord(new ModelStoreException(ex.Message + " Nothing was installed.", ex), ErrorIds.InstallFailed, ErrorCategory.InvalidData, ex.FilePath));
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
