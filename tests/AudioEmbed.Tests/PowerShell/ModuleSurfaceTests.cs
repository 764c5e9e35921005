using System.Management.Automation;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>What a user sees of the module itself: exported commands, manifest, completion.</summary>
[Collection(PowerShellCollection.Name)]
public class ModuleSurfaceTests
{
    private static readonly string[] Cmdlets =
        { "Compare-AudioEmbedding", "Export-EmbeddingNpy", "Export-EmbeddingTable", "Find-SimilarAudio", "Get-AudioEmbedDevice", "Get-AudioEmbedding", "Get-AudioEmbedModel", "Get-AudioFileInfo", "Get-EmbeddingStatus", "Import-EmbeddingNpy", "Install-AudioEmbedModel", "Uninstall-AudioEmbedModel" };

    [Fact]
    public void Module_ExportsExactlyItsCmdlets_WithTheManifestItDeclares()
    {
        using var host = new ModuleHost();
        var names = host.Run("(Get-Command -Module AudioEmbed).Name").ThrowIfErrors().All<string>().Order().ToArray();
        Assert.Equal(Cmdlets, names);
        var info = host.Run("Get-Module AudioEmbed").ThrowIfErrors().Single<PSModuleInfo>();
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
        Assert.Contains("Core", info.CompatiblePSEditions);
        Assert.Equal(ModuleType.Binary, info.ModuleType);
    }

    [Theory]
    [InlineData("Get-AudioEmbedding -Model MusiCNN -Variant M", new[] { "MSD_musicnn", "MSD_vgg", "MTT_musicnn", "MTT_vgg" })]
    [InlineData("Get-AudioEmbedding -Model Mert -Variant ", new[] { "MERT-v1-330M", "MERT-v1-95M" })]
    [InlineData("Get-AudioEmbedding -Variant MTT_vgg -Layer ", new[] { "pool5", "taggram" })]
    [InlineData("Install-AudioEmbedModel -Model EnCodecMAE -Variant mel256-ec-l", new[] { "mel256-ec-large_st" })]
    [InlineData("Find-SimilarAudio x.mp3 -Model Mert -Variant MERT-v1-3", new[] { "MERT-v1-330M" })]
    [InlineData("Export-EmbeddingTable t.parquet -Variant MTT_vgg -Layer ", new[] { "pool5", "taggram" })]
    public void TabCompletion_OffersTheCatalogVariantsAndLayers(string line, string[] expected)
    {
        using var host = new ModuleHost();
        var r = host.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
            new Dictionary<string, object?> { ["line"] = line }).ThrowIfErrors();
        Assert.Equal(expected, r.All<string>().Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("win-x64", "onnxruntime.dll")]
    [InlineData("win-arm64", "onnxruntime.dll")]
    [InlineData("linux-x64", "libonnxruntime.so")]
    [InlineData("linux-arm64", "libonnxruntime.so")]
    [InlineData("osx-arm64", "libonnxruntime.dylib")]
    public void ModuleFolder_CarriesTheNativeLibraryOfEachPlatform(string rid, string file)
    {
        // The module initializer loads exactly this path at import; a missing file is a clear import error.
        var path = Path.Combine(SharedData.ModuleDir, "runtimes", rid, "native", file);
        Assert.True(File.Exists(path), $"the module lacks {path}");
        Assert.True(new FileInfo(path).Length > 1_000_000);
    }
}
