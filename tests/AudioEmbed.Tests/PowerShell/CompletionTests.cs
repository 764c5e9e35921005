using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Tab completion as a user meets it (TabExpansion2 in the hosted runspace): -Model from the catalog, -Variant with
/// installed custom checkpoints, -Layer of the chosen variant in numeric order; and -Model validated by the catalog.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class CompletionTests
{
    private static string[] Complete(ModuleHost host, string line) =>
        host.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
            new Dictionary<string, object?> { ["line"] = line }).ThrowIfErrors().All<string>().ToArray();

    [Theory]
    [InlineData("Get-AudioEmbedding -Model ")]
    [InlineData("Get-EmbeddingStatus -Model ")]
    [InlineData("Get-AudioEmbedModel -Model ")]
    [InlineData("Install-AudioEmbedModel -Model ")]
    public void Model_CompletesTheCatalogFamilies(string line)
    {
        using var host = new ModuleHost();
        Assert.Equal(TestStore.Catalog.Families.Select(f => f.Name), Complete(host, line));
        Assert.Equal(new[] { "EnCodecMAE" }, Complete(host, line + "enc"));
    }

    [Fact]
    public void EveryModelParameter_IsCatalogDriven_NotAFixedSet()
    {
        // Derived from the module: a cmdlet another branch adds with -Model is held to the same rule.
        using var host = new ModuleHost();
        var rows = host.Run(@"
            foreach ($c in Get-Command -Module AudioEmbed) {
                $p = $c.Parameters['Model']
                if ($p) {
                    $names = $p.Attributes | ForEach-Object { $_.GetType().Name }
                    $completer = ($p.Attributes | Where-Object { $_.GetType().Name -eq 'ArgumentCompleterAttribute' }).Type.Name
                    '{0}|{1}|{2}' -f $c.Name, ($names -join ','), $completer
                }
            }").ThrowIfErrors().All<string>().ToList();
        Assert.True(rows.Count >= 4, string.Join("\n", rows));
        foreach (var row in rows)
        {
            var parts = row.Split('|');
            Assert.DoesNotContain("ValidateSetAttribute", parts[1]);
            Assert.Contains("ValidateModelFamilyAttribute", parts[1]);
            Assert.Equal("ModelFamilyCompleter", parts[2]);
        }
    }

    [Theory]
    [InlineData("Get-AudioEmbedding -LiteralPath x.wav -Model Beethoven")]
    [InlineData("Get-EmbeddingStatus -Model MusiCNN, Beethoven")]
    [InlineData("Install-AudioEmbedModel Beethoven")]
    [InlineData("Get-AudioEmbedModel -Model Beethoven")]
    public void UnknownModel_IsOneErrorListingTheKnownFamilies(string line)
    {
        using var host = new ModuleHost();
        var r = host.Run(line);
        var error = Assert.Single(r.Errors);
        Assert.Contains("Unknown model 'Beethoven'", error.Exception.Message);
        Assert.Contains(string.Join(", ", TestStore.Catalog.Families.Select(f => f.Name)), error.Exception.Message);
        Assert.Empty(r.Output);
    }

    [Fact]
    public void ModelNames_AreCaseInsensitive()
    {
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedModel -Model encodecmae -ModelPath '{TestStore.TempDir("store")}'").ThrowIfErrors();
        Assert.All(r.All<ModelStatus>(), s => Assert.Equal("EnCodecMAE", s.Model));
    }

    [Fact]
    public void CatalogFamilies_AreExactlyTheRegisteredConverters()
    {
        // Family names match case-insensitively everywhere (MertFamily says "MERT", written into its ONNX metadata,
        // so renaming it would change every converted MERT model's hash).
        var catalog = TestStore.Catalog.Families.Select(f => f.Name.ToUpperInvariant()).Order(StringComparer.Ordinal);
        // The families this build ships (the test assembly adds a toy family of its own, found the same way).
        var shipped = typeof(Core.Models.IModelFamily).Assembly;
        var registered = Core.Models.ModelFamilies.All.Where(f => f.GetType().Assembly == shipped)
            .Select(f => f.Name.ToUpperInvariant()).Order(StringComparer.Ordinal);
        Assert.Equal(catalog, registered);
    }

    [Theory]
    [InlineData("Get-AudioEmbedding -Model Mert -Layer ", "last", 13)] // MERT-v1-95M: 0..12
    [InlineData("Get-AudioEmbedding -Model Mert -Variant MERT-v1-330M -Layer ", "last", 25)]
    [InlineData("Get-AudioEmbedding -Model EnCodecMAE -Layer ", "last", 10)]
    [InlineData("Get-EmbeddingStatus -Model Mert -Variant MERT-v1-330M -Layer ", "last", 25)]
    public void Layer_OffersTheVariantsLayers_NumbersInNumericOrder(string line, string first, int numbered)
    {
        using var host = new ModuleHost();
        var layers = Complete(host, line);
        Assert.Equal(first, layers[0]); // the default layer leads
        var numbers = layers.Where(l => l.All(char.IsAsciiDigit)).ToArray();
        Assert.Equal(Enumerable.Range(0, numbered).Select(i => i.ToString()), numbers);
        Assert.Equal(layers.Length, layers.Distinct().Count());
        // A prefix keeps numeric order.
        Assert.Equal(Enumerable.Range(0, numbered).Select(i => i.ToString()).Where(n => n.StartsWith('1')), Complete(host, line + "1"));
    }

    [Fact]
    public void Layer_WithoutVariant_IsTheDefaultVariantsOnly()
    {
        using var host = new ModuleHost();
        // MusiCNN's default variant is MTT_musicnn: no vgg pool5.
        Assert.Equal(new[] { "mean_pool", "max_pool", "penultimate", "taggram" }, Complete(host, "Get-AudioEmbedding -Layer "));
        Assert.DoesNotContain("13", Complete(host, "Get-AudioEmbedding -Model Mert -Layer 1")); // 95M has 0..12 only
    }

    [SkippableFact]
    public void InstalledCustomVariants_AreOfferedWithTheirOwnLayers()
    {
        var store = TestStore.TempDir("store");
        var checkpoint = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        using var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath '{checkpoint}' -ModelPath '{store}'").ThrowIfErrors();
        var layers = ModelManifest.Load(Path.Combine(store, "models", "encodecmae", "tiny-mel256", "manifest.json")).Layers.Keys;

        foreach (var cmd in new[] { "Get-AudioEmbedding", "Get-EmbeddingStatus", "Get-AudioEmbedModel" })
        {
            var variants = Complete(host, $"{cmd} -Model EnCodecMAE -ModelPath '{store}' -Variant ");
            Assert.Equal(new[] { "mel256-ec-base_st", "mel256-ec-large_st", "tiny-mel256" }, variants);
        }
        // Install's -Variant is the architecture: catalog variants only.
        Assert.Equal(new[] { "mel256-ec-base_st", "mel256-ec-large_st" }, Complete(host, $"Install-AudioEmbedModel -Model EnCodecMAE -ModelPath '{store}' -Variant "));
        var offered = Complete(host, $"Get-AudioEmbedding -Model EnCodecMAE -ModelPath '{store}' -Variant tiny-mel256 -Layer ");
        Assert.Equal(layers.Order(StringComparer.Ordinal), offered.Order(StringComparer.Ordinal));
        Assert.True(offered.Length < 13, "the tiny checkpoint has fewer layers than the catalog's base variant");
    }

    [Fact]
    public void GetAudioEmbedModel_Variant_Filters()
    {
        using var host = new ModuleHost();
        var r = host.Run($"Get-AudioEmbedModel -Variant 'MTT_*' -ModelPath '{TestStore.TempDir("store")}'").ThrowIfErrors();
        Assert.Equal(new[] { "MTT_musicnn", "MTT_vgg" }, r.All<ModelStatus>().Select(s => s.Variant));
    }
}
