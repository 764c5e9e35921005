using System.Text.Json;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Every install shows the variant's licence; MERT's non-commercial licence must be accepted with -AcceptLicense.
/// Guards against installing (or auto-installing) a non-commercial model without the user having said yes.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class LicenseTests
{
    private static string MertFolder() => Path.GetDirectoryName(SharedData.Require("fixtures", "mert", "tiny-95m-style", "config.json"))!;

    [SkippableFact]
    public void NonCommercialVariant_WithoutAcceptLicense_InstallsNothing_AndSaysWhy()
    {
        var folder = MertFolder();
        var store = TestStore.TempDir("license-store");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel -Model Mert -Variant MERT-v1-95M -SourcePath '{folder}' -ModelPath '{store}'");

        var error = Assert.Single(r.Errors);
        Assert.StartsWith("AudioEmbed.LicenseNotAccepted", error.FullyQualifiedErrorId);
        Assert.Contains("CC-BY-NC-4.0", error.Exception.Message);
        Assert.Contains("-AcceptLicense", error.Exception.Message);
        Assert.Contains(r.Information, m => m.Contains("CC-BY-NC-4.0") && m.Contains("non-commercial"));
        Assert.False(Directory.Exists(Path.Combine(store, "models", "mert", "MERT-v1-95M")), "nothing may be installed");
    }

    [SkippableFact]
    public void NonCommercialVariant_WithAcceptLicense_Installs_AndRecordsTheAcceptance()
    {
        var folder = MertFolder();
        var store = TestStore.TempDir("license-store");
        // The tiny checkpoint stands in for the real one under its catalog name: a test catalog without MERT's pins.
        using var catalog = AudioEmbed.Tests.HuggingFace.TestCatalog.Unpinned("Mert");
        using var host = new ModuleHost();
        var status = host.Run($"Install-AudioEmbedModel -Model Mert -Variant MERT-v1-95M -SourcePath '{folder}' -ModelPath '{store}' -AcceptLicense")
            .ThrowIfErrors().Single<ModelStatus>();

        Assert.True(status.Installed);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(status.Location!, "manifest.json")));
        var accepted = manifest.RootElement.GetProperty("licenseAcceptedUtc").GetDateTime();
        Assert.InRange(accepted, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(1));
    }

    [SkippableFact]
    public void PermissiveVariant_ShowsItsLicence_AndNeedsNoAcceptance()
    {
        var checkpoint = SharedData.Require("models", "musicnn", "MTT_vgg.h5");
        var store = TestStore.TempDir("license-store");
        using var host = new ModuleHost();
        var r = host.Run($"Install-AudioEmbedModel -Model MusiCNN -Variant MTT_vgg -SourcePath '{checkpoint}' -ModelPath '{store}'").ThrowIfErrors();
        Assert.Contains(r.Information, m => m.Contains("MTT_vgg is licensed ISC") && !m.Contains("non-commercial"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(r.Single<ModelStatus>().Location!, "manifest.json")));
        Assert.True(!manifest.RootElement.TryGetProperty("licenseAcceptedUtc", out var accepted) || accepted.ValueKind == JsonValueKind.Null);
    }
}
