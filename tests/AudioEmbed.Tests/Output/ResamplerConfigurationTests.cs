using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Output;

/// <summary>
/// The resampling recipe as part of an output configuration (Core, no model): which recipes count (kind, and the
/// resampy tables for resampy; never -ExactResampling), the folder suffix and its parsing, every existing name kept,
/// old manifest lines (no recipe) as the family's own, "none" agreeing with every recipe, and the conflict and
/// -SkipExisting checks that follow.
/// </summary>
public class ResamplerConfigurationTests
{
    private static readonly Core.Store.ModelFamilyInfo Mert = TestStore.Catalog.Family("Mert");
    private static readonly Core.Store.ModelFamilyInfo Musicnn = TestStore.Catalog.Family("MusiCNN");
    private static readonly Core.Store.ModelFamilyInfo EncodecMae = TestStore.Catalog.Family("EnCodecMAE");

    private static EmbeddingConfiguration MertDefault(string resampler = "") => new("MERT-v1-95M", "last", Pooling.Mean, Resampler: resampler);

    [Fact]
    public void EachFamilyDeclaresTheRecipeItsExtractorUses()
    {
        Assert.Equal("resampy-0.4.2", FamilyResampling.DefaultName(Musicnn));
        Assert.Equal("soxr_hq", FamilyResampling.DefaultName(Mert));
        Assert.Equal("soxr_hq", FamilyResampling.DefaultName(EncodecMae));
        Assert.Equal(16000, FamilyResampling.DefaultOf(Musicnn).TargetRate);
        Assert.Equal(OutputLength.LibrosaFixLength, FamilyResampling.DefaultOf(Musicnn).Length);
    }

    [Fact]
    public void WhatCounts_TheKind_AndResampyTablesOnlyForResampy_NeverExact()
    {
        string Name(Core.Store.ModelFamilyInfo family, ResamplerKind? kind = null, ResampyVersion? version = null, bool? exact = null) =>
            FamilyResampling.ConfigurationName(family, new ResamplerOverrides { Kind = kind, ResampyVersion = version, Exact = exact });
        Assert.Equal("", FamilyResampling.ConfigurationName(Mert, null));
        Assert.Equal("", Name(Mert, ResamplerKind.SoxrHq));                               // the family's own, named
        Assert.Equal("torchaudio", Name(Mert, ResamplerKind.Torchaudio));
        Assert.Equal("resampy-0.4.2", Name(Mert, ResamplerKind.Resampy));
        Assert.Equal("resampy-0.2.2", Name(Mert, ResamplerKind.Resampy, ResampyVersion.V0_2_2));
        Assert.Equal("", Name(Mert, ResamplerKind.SoxrHq, ResampyVersion.V0_2_2));         // tables soxr never uses
        Assert.Equal("", Name(Mert, exact: true));
        Assert.Equal("", Name(Musicnn, ResamplerKind.Resampy, ResampyVersion.V0_4_2));
        Assert.Equal("resampy-0.2.2", Name(Musicnn, version: ResampyVersion.V0_2_2));      // musicnn's published tables
        Assert.Equal("", Name(Musicnn, exact: true));                                       // within 2e-6: same data
        Assert.Equal("soxr_hq", Name(Musicnn, ResamplerKind.SoxrHq));
    }

    [Fact]
    public void FolderNames_GainARecipeSuffix_OnlyForANonDefaultRecipe_AndParseBack()
    {
        // Every name of before is unchanged: the family's own recipe adds nothing.
        Assert.Equal("", OutputLayout.ConfigurationFolder(Mert, MertDefault()));
        Assert.Equal("", OutputLayout.ConfigurationFolder(Mert, MertDefault().WithResampler("soxr_hq", Mert)));
        Assert.Equal("MERT-v1-330M.12.none.int8", new EmbeddingConfiguration("MERT-v1-330M", "12", Pooling.None, Core.Onnx.Precision.Int8).FolderName);
        Assert.Equal("MTT_musicnn.taggram.mean", new EmbeddingConfiguration("MTT_musicnn", "taggram", Pooling.Mean).WithResampler("resampy-0.4.2", Musicnn).FolderName);

        var cases = new (EmbeddingConfiguration Configuration, string Folder)[]
        {
            (MertDefault("torchaudio"), "MERT-v1-95M.last.mean.torchaudio"),
            (new("MERT-v1-330M", "12", Pooling.None, Core.Onnx.Precision.Int8, "torchaudio"), "MERT-v1-330M.12.none.int8.torchaudio"),
            (new("MTT_musicnn", "mean_pool", Pooling.Mean, Resampler: "resampy-0.2.2"), "MTT_musicnn.mean_pool.mean.resampy-0_2_2"),
            (new("MTT_musicnn", "mean_pool", Pooling.Mean, Resampler: "soxr_hq"), "MTT_musicnn.mean_pool.mean.soxr_hq"),
            (new("my.custom.v2", "last", Pooling.Max, Resampler: "resampy-0.4.2"), "my.custom.v2.last.max.resampy-0_4_2"),
        };
        foreach (var (configuration, folder) in cases)
        {
            Assert.Equal(folder, configuration.FolderName);
            Assert.True(EmbeddingConfiguration.TryParseFolderName(folder, out var back), folder);
            Assert.Equal(configuration, back);
            Assert.True(OutputLayout.IsReservedFolder(folder)); // never taken for a mirrored library folder
        }
        Assert.Equal("MERT-v1-95M.last.mean.torchaudio", OutputLayout.ConfigurationFolder(Mert, MertDefault().WithResampler("torchaudio", Mert)));
        Assert.True(EmbeddingConfiguration.TryParseFolderName("MERT-v1-95M.last.mean", out var old) && old.Resampler == "");
        Assert.False(EmbeddingConfiguration.TryParseFolderName("MERT-v1-95M.last.mean.linear", out _)); // not a recipe
        Assert.False(EmbeddingConfiguration.TryParseFolderName("last.mean.torchaudio", out _));        // no variant left
        Assert.True(EmbeddingConfiguration.TryParseFolderName("torchaudio.last.mean", out var variantNamedLikeARecipe));
        Assert.Equal(("torchaudio", ""), (variantNamedLikeARecipe.Variant, variantNamedLikeARecipe.Resampler));
    }

    [Fact]
    public void ManifestLines_WithoutRecipe_AreTheFamilysOwn_AndNoneAgreesWithEveryRecipe()
    {
        EmbeddingConfiguration Of(string? resampler) =>
            EmbeddingConfiguration.Of(new EmbeddingRecord { Variant = "MERT-v1-95M", Layer = "last", Pooling = "Mean", Resampler = resampler }, Mert)!;
        Assert.Equal("", Of(null).Resampler);
        Assert.Equal("", Of("soxr_hq").Resampler);
        Assert.Equal("torchaudio", Of("torchaudio").Resampler);
        Assert.True(Of(null).SameAs(MertDefault()));
        Assert.False(Of("torchaudio").SameAs(MertDefault()));
        Assert.False(Of(null).SameAs(MertDefault("torchaudio")));
        Assert.False(Of("resampy-0.2.2").SameAs(MertDefault("resampy-0.4.2")));
        Assert.True(Of("none").SameAs(MertDefault()));
        Assert.True(Of("none").SameAs(MertDefault("torchaudio")));
        Assert.Contains("resampler torchaudio", Of("torchaudio").ToString());
        Assert.Equal("variant MERT-v1-95M, layer last, pooling Mean, precision Float32", MertDefault().ToString()); // messages of before unchanged
    }

    [Fact]
    public void AnEmbeddingsConfiguration_IsTheRecipeItWasComputedWith_EvenWhenNotResampled()
    {
        var atRate = new AudioEmbedding { Model = "Mert", Variant = "MERT-v1-95M", Layer = "last", Resampler = ResampleRecipe.NotResampled, ResamplingRecipe = "torchaudio" };
        Assert.Equal("MERT-v1-95M.last.mean.torchaudio", OutputLayout.ConfigurationFolder(Mert, EmbeddingConfiguration.Of(atRate, Mert)));
        var resampled = new AudioEmbedding { Model = "Mert", Variant = "MERT-v1-95M", Layer = "last", Resampler = "soxr_hq", ResamplingRecipe = "soxr_hq" };
        Assert.Equal("", OutputLayout.ConfigurationFolder(Mert, EmbeddingConfiguration.Of(resampled, Mert)));
        // An object made elsewhere (no recipe): what its Resampler says, or the family's own.
        Assert.Equal("torchaudio", EmbeddingConfiguration.Of(new AudioEmbedding { Variant = "v", Layer = "l", Resampler = "torchaudio" }, Mert).Resampler);
        Assert.Equal("", EmbeddingConfiguration.Of(new AudioEmbedding { Variant = "v", Layer = "l", Resampler = "none" }, Mert).Resampler);
    }

    [Fact]
    public void Resolver_AddressesTheRecipesFolder()
    {
        var torch = ConfigurationResolver.Resolve(TestStore.Catalog, null, "Mert", null, null, resampler: new ResamplerOverrides { Kind = ResamplerKind.Torchaudio });
        Assert.Equal("MERT-v1-95M.last.mean.torchaudio", torch.Folder);
        Assert.False(torch.IsDefault);
        Assert.True(ConfigurationResolver.Resolve(TestStore.Catalog, null, "Mert", null, null, resampler: new ResamplerOverrides { Kind = ResamplerKind.SoxrHq }).IsDefault);
        Assert.Equal("MTT_musicnn.mean_pool.mean.resampy-0_2_2",
            ConfigurationResolver.Resolve(TestStore.Catalog, null, "MusiCNN", null, null, resampler: new ResamplerOverrides { ResampyVersion = ResampyVersion.V0_2_2 }).Folder);
    }

    [Fact]
    public void AnotherRecipesFile_IsAConflict_AndNotDoneForSkipExisting_UnlessNotResampledOrUnrecorded()
    {
        var output = TestStore.TempDir("recipe-conflict");
        var modelDir = Path.Combine(output, "mert");
        Directory.CreateDirectory(modelDir);
        var audio = Path.Combine(output, "song.wav");
        File.WriteAllBytes(audio, new byte[16]);
        var target = Path.Combine(modelDir, "song.npy");
        using (var s = File.Create(target)) NpyWriter.Write(s, new float[768], new[] { 768 });
        EmbeddingRecord Line(string? resampler) => new() { Output = "song.npy", Source = audio, Model = "Mert", Variant = "MERT-v1-95M", Layer = "last", Pooling = "Mean", Resampler = resampler };
        var shape = new[] { 768 };

        foreach (var (recorded, conflicts) in new (string?, bool)[] { ("torchaudio", true), ("resampy-0.4.2", true), ("soxr_hq", false), (null, false), ("none", false) })
        {
            var manifest = new Dictionary<string, EmbeddingRecord> { ["song.npy"] = Line(recorded) };
            var message = ConfigurationConflict.Find(target, modelDir, MertDefault(), shape, manifest, Mert);
            Assert.True(conflicts == (message != null), $"line {recorded ?? "(no resampler)"}: {message}");
            if (conflicts) Assert.Contains($"resampler {recorded}", message);

            File.Delete(Path.Combine(modelDir, EmbeddingManifest.FileName));
            EmbeddingManifest.Append(modelDir, Line(recorded));
            var check = new ExistingEmbeddingCheck(output, Mert, MertDefault(), new[] { 768 }, OutputLayout.Flat);
            Assert.True(conflicts == (check.Existing(audio) is null), $"-SkipExisting, line {recorded ?? "(no resampler)"}");
        }
        // The torchaudio configuration looks in its own folder: the default folder's file is not it.
        Assert.Null(new ExistingEmbeddingCheck(output, Mert, MertDefault("torchaudio"), new[] { 768 }, OutputLayout.Flat).Existing(audio));
        // A torchaudio file at the torchaudio configuration's own path is no conflict for it.
        Assert.Null(ConfigurationConflict.Find(target, modelDir, MertDefault("torchaudio"), shape,
            new Dictionary<string, EmbeddingRecord> { ["song.npy"] = Line("torchaudio") }, Mert));
    }

    [Fact]
    public void Import_GivesTheFolderRecipe_SoAReexportGoesBackToIt()
    {
        var output = TestStore.TempDir("recipe-import");
        var folder = Directory.CreateDirectory(Path.Combine(output, "mert", "MERT-v1-95M.last.mean.torchaudio")).FullName;
        var npy = Path.Combine(folder, "song.npy");
        using (var s = File.Create(npy)) NpyWriter.Write(s, new float[768], new[] { 768 });
        var e = EmbeddingImporter.Import(npy, TestStore.Catalog);
        Assert.Equal("torchaudio", e.ResamplingRecipe);
        Assert.Equal("MERT-v1-95M.last.mean.torchaudio", OutputLayout.ConfigurationFolder(Mert, EmbeddingConfiguration.Of(e, Mert)));

        var plain = Path.Combine(output, "mert", "other.npy");
        using (var s = File.Create(plain)) NpyWriter.Write(s, new float[768], new[] { 768 });
        Assert.Equal("soxr_hq", EmbeddingImporter.Import(plain, TestStore.Catalog).ResamplingRecipe);
    }
}
