using AudioEmbed.Core.Models.Mert;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Tests.Mert;

/// <summary>The family entry point the store calls: catalog file names → ONNX stream with the metadata the extractor needs.</summary>
public class MertFamilyTests : IDisposable
{
    private readonly MertTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("pytorch_model.bin")]
    [InlineData("model.safetensors")]
    public void Convert_WritesModelWithMetadata(string checkpoint)
    {
        const string style = "tiny-330m-style";
        var files = new Dictionary<string, string>
        {
            ["config.json"] = MertFixtures.File(style, "config.json"),
            ["preprocessor_config.json"] = MertFixtures.File(style, "preprocessor_config.json"),
            [checkpoint] = MertFixtures.File(style, checkpoint),
        };
        var variant = new AudioEmbed.Core.Store.ModelVariantInfo { Name = "MERT-v1-330M", Architecture = "mert" };
        string onnx = _dir.File("model.onnx");
        using (var stream = File.Create(onnx)) new MertFamily().Convert(variant, files, stream);

        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("MERT", meta["audioembed.family"]);
        Assert.Equal("MERT-v1-330M", meta["audioembed.variant"]);
        Assert.Equal("24000", meta[MertMetadata.SampleRate]);
        Assert.Equal("true", meta[MertMetadata.DoNormalize]);
        Assert.Equal("2", meta[MertMetadata.Layers]);
        Assert.Equal("400", meta[MertMetadata.ReceptiveField]);
        Assert.Equal(Enumerable.Range(0, 3).Select(MertGraph.HiddenName), session.OutputMetadata.Keys);

        files.Remove("preprocessor_config.json");
        var ex = Assert.Throws<AudioEmbed.Core.Store.ModelStoreException>(() => new MertFamily().Convert(variant, files, Stream.Null));
        Assert.Contains("preprocessor_config.json", ex.Message);
    }

    [SkippableFact]
    public void Layers_AreReadFromTheConvertedModel_WhateverTheVariantSays()
    {
        // A custom checkpoint installed on the 95M variant keeps its own size in the manifest.
        const string style = "tiny-95m-style";
        var files = new Dictionary<string, string>
        {
            ["config.json"] = MertFixtures.File(style, "config.json"),
            ["preprocessor_config.json"] = MertFixtures.File(style, "preprocessor_config.json"),
            ["pytorch_model.bin"] = MertFixtures.File(style, "pytorch_model.bin"),
        };
        var real95M = new AudioEmbed.Core.Store.ModelVariantInfo { Name = "MERT-v1-95M", Layers = MertLayer.Names(12).ToDictionary(n => n, _ => 768) };
        string onnx = _dir.File("tiny.onnx");
        using (var stream = File.Create(onnx)) new MertFamily().Convert(real95M, files, stream);
        var layers = new MertFamily().Layers(real95M, onnx);
        Assert.Equal(32, layers["last"]);
        Assert.Equal(32, layers["2"]);
        Assert.False(layers.ContainsKey("3"));
        Assert.Equal(3 * 32, layers["all"]);
    }
}
