using System.Management.Automation;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Verifies and converts a model checkpoint into the store: from -SourcePath, else from the Hugging Face cache, else
/// downloaded (pinned by the catalog, or verified against the hash the hub advertises). -Repository installs a
/// fine-tuned checkpoint from any hub repository under -Name.
/// </summary>
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

    /// <summary>
    /// A local checkpoint file, a folder holding the catalog's file names, a Hugging Face cache folder (models--owner--name),
    /// or the seed pipeline's musicnn_keras/keras_checkpoints folder (every MusiCNN variant found there is installed).
    /// </summary>
    [Parameter]
    public string? SourcePath { get; set; }

    /// <summary>A Hugging Face repository (owner/name) holding a checkpoint of the variant's architecture (needs -Name).</summary>
    [Parameter]
    public string? Repository { get; set; }

    /// <summary>The revision of -Repository (a commit hash, branch or tag); default main.</summary>
    [Parameter]
    public string? Revision { get; set; }

    /// <summary>The checkpoint file in -Repository (EnCodecMAE: name.pt; MERT: pytorch_model.bin by default, or model.safetensors).</summary>
    [Parameter]
    public string? File { get; set; }

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
        ModelFamilyInfo family;
        try { family = store.Catalog.Family(Model); }
        catch (ModelStoreException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.InstallFailed, ErrorCategory.InvalidArgument, Model));
            return;
        }
        // The seed pipeline's keras_checkpoints folder holds every MusiCNN variant: install them all unless one is named.
        var variants = source != null && Variant is null && Name is null ? store.VariantsInFolder(family.Name, source) : Array.Empty<string>();
        if (variants.Count <= 1) InstallOne(store, family, Variant ?? variants.FirstOrDefault(), source);
        else foreach (var v in variants) InstallOne(store, family, v, source);
    }

    private void InstallOne(ModelStore store, ModelFamilyInfo family, string? variantName, string? source)
    {
        try
        {
            var variant = family.Variant(variantName);
            string target = Name ?? variant.Name;
            string how = source != null ? $"Convert '{source}'" : Repository != null ? $"Download {Repository} at {Revision ?? "main"} and convert" : "Take from the Hugging Face cache or download, then convert";
            if (!ShouldProcess($"{family.Name} {target} into '{store.Home}'", how))
                return;
            // Shown on the host, not only in -Verbose: what the user agrees to by installing.
            WriteInformation(new HostInformationMessage { Message = Name is null ? variant.LicenseNotice : $"{Name}: a checkpoint of yours on the {variant.Name} architecture{(Repository != null ? $" from {Repository}" : "")}; its own licence applies." },
                new[] { "PSHOST", "AudioEmbed.License" });
            WriteVerbose(family.Source);
            try { ModelStore.RequireLicenseAccepted(variant, Name, AcceptLicense); }
            catch (ModelStoreException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.LicenseNotAccepted, ErrorCategory.PermissionDenied, variant.Name));
                return;
            }
            var request = new InstallRequest(family.Name)
            {
                Variant = variant.Name, SourcePath = source, Force = Force, CustomName = Name, AcceptLicense = AcceptLicense,
                Repository = Repository, Revision = Revision, File = File,
            };
            var installed = store.Install(request, InstallCommandSupport.Progress(this), _cancel.Token);
            InstallCommandSupport.ReportSources(this, installed);
            SessionFactory.Forget(installed.OnnxPath);
            InstallCommandSupport.Completed(this);
            WriteVerbose($"Installed {family.Name} {installed.Manifest.Variant} at '{installed.Directory}'.");
            WriteObject(store.List(family.Name).First(s => s.Variant == installed.Manifest.Variant));
        }
        catch (ModelStoreException ex)
        {
            InstallCommandSupport.Completed(this);
            WriteError(new ErrorRecord(ex, ErrorIds.InstallFailed, ErrorCategory.InvalidData, source ?? Repository ?? Model));
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
