using AudioEmbed.Core.Store;
using AudioEmbed.Core.Store.HuggingFace;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>The published facts pinned in models/catalog.json, and what can be cross-checked here.</summary>
public class CatalogPinTests
{
    private static ModelCatalog Shipped => ModelCatalog.Load(Path.Combine(SharedData.RepoRoot, "models", "catalog.json"));

    [Fact]
    public void Mert95M_IsPinnedAtItsRevision_EveryFileBySha256AndSize()
    {
        var files = Shipped.Family("Mert").Variant("MERT-v1-95M").Files.ToDictionary(f => f.Name);
        Assert.Equal(("a2b8b747f72c06e0595aeae41ae5473f4364938c6b39b2c58be38c48e6bd3fcd", 377_552_987L), (files["pytorch_model.bin"].Sha256, files["pytorch_model.bin"].Size));
        Assert.Equal(("ea2627c4c7825cd66f3c944b6b966331604c35928174e0100cd4a82829424e32", 1_817L), (files["config.json"].Sha256, files["config.json"].Size));
        Assert.Equal(("cc5a5e4a5d3b1a758a5ed984b2eaa15bb0522d811d44a9eed82bfca4baa0dc8f", 211L), (files["preprocessor_config.json"].Sha256, files["preprocessor_config.json"].Size));
        Assert.All(files.Values, f => Assert.Equal(("m-a-p/MERT-v1-95M", "12af15fef9d0ac838c3f475bfbbf26d2060dd4f5"), (f.Repository, f.Revision)));
    }

    [SkippableFact]
    public void TheRealPreprocessorConfig_InTheFixtures_HashesToThePin()
    {
        // ../shared/fixtures/mert ships the real MERT-v1-95M preprocessor_config.json (its README): an independent check of the pin.
        var real = SharedData.Require("fixtures", "mert", "tiny-95m-style", "preprocessor_config.json");
        var pin = Shipped.Family("Mert").Variant("MERT-v1-95M").Files.Single(f => f.Name == "preprocessor_config.json");
        Assert.Equal(pin.Sha256, FileHash.Sha256(real));
        Assert.Equal(pin.Size, new FileInfo(real).Length);
    }

    [Fact]
    public void Mert330M_PinsItsWeights_AndLeavesTheConfigsToTheHub()
    {
        var files = Shipped.Family("Mert").Variant("MERT-v1-330M").Files.ToDictionary(f => f.Name);
        Assert.Equal("0c03774d821a6ad972cb48220b128a10ebea2c790116bd0fd35e5a013f8017f6", files["pytorch_model.bin"].Sha256);
        Assert.False(files["config.json"].Pinned);
        Assert.False(files["preprocessor_config.json"].Pinned);
        Assert.All(files.Values, f => Assert.Equal("m-a-p/MERT-v1-330M", f.Repository));
    }

    [Fact]
    public void EncodecMae_IsHubVerified_AndItsLicenceIsNotInvented()
    {
        foreach (var v in Shipped.Family("EnCodecMAE").Variants)
        {
            var file = Assert.Single(v.Files);
            Assert.Equal(("lpepino/encodecmae-v2", "main", v.Name + ".pt", false), (file.Repository, file.Revision, file.Name, file.Pinned));
            Assert.Equal("licence not stated by the authors", v.License);
            Assert.Null(v.LicenseUrl);
            Assert.Contains("licence not stated by the authors", v.LicenseNotice);
        }
    }

    [Fact]
    public void EveryHubFile_HasAValidRepositoryAndFileName()
    {
        foreach (var family in Shipped.Families)
            foreach (var file in family.Variants.SelectMany(v => v.Files).Where(f => f.Repository != null))
            {
                HubNames.ValidateRepository(file.Repository!);
                HubNames.ValidateFile(file.Name);
                Assert.False(string.IsNullOrEmpty(file.Revision));
            }
    }
}
