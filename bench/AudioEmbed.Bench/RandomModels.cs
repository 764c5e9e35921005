using System.Text.Json.Nodes;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Full-size MERT-v1-95M and EnCodecMAE-base converted to ONNX from random weights with the real configurations and
/// key lists in ../shared/fixtures (the real checkpoints are not here), as models the engine can run: an ONNX file in
/// a folder with a manifest written here instead of by the store (the store installs only the real checkpoint files).
/// </summary>
internal static class RandomModels
{
    /// <summary>MERT-v1-95M in <paramref name="dir"/>, or null when ../shared/fixtures/mert is missing.</summary>
    public static (InstalledModel Model, MertConfig Config)? Mert(string dir)
    {
        var list = Paths.Shared() is { } shared ? Path.Combine(shared, "fixtures", "mert", "real_95M_state_dict.json") : null;
        if (list is null || !File.Exists(list)) return null;
        Directory.CreateDirectory(dir);
        var json = JsonNode.Parse(File.ReadAllText(list))!;
        File.WriteAllText(Path.Combine(dir, "config.json"), json["config_used"]!.ToJsonString());
        File.Copy(Path.Combine(Paths.Shared()!, "fixtures", "mert", "tiny-95m-style", "preprocessor_config.json"), Path.Combine(dir, "preprocessor_config.json"), true);
        var checkpoint = Path.Combine(dir, "model.safetensors");
        RandomCheckpoint.WriteSafetensors(checkpoint, json["state_dict"]!.AsArray());
        var config = MertConfig.Load(Path.Combine(dir, "config.json"), Path.Combine(dir, "preprocessor_config.json"));
        using (var stream = File.Create(Path.Combine(dir, ModelManifest.OnnxFileName))) MertGraph.Build(config, MertWeights.Open(checkpoint)).WriteTo(stream);
        File.Delete(checkpoint);
        return (Installed(dir, "Mert", "MERT-v1-95M (random weights)", config.HiddenSize), config);
    }

    /// <summary>EnCodecMAE base in <paramref name="dir"/>, or null when ../shared/fixtures/encodecmae is missing.</summary>
    public static (InstalledModel Model, EncodecMaeGinConfig Config)? EncodecMae(string dir)
    {
        var fixtures = Paths.Shared() is { } shared ? Path.Combine(shared, "fixtures", "encodecmae") : null;
        if (fixtures is null || !Directory.Exists(fixtures)) return null;
        Directory.CreateDirectory(dir);
        var gin = File.ReadAllText(Path.Combine(fixtures, "real_base_config.gin"));
        var list = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, "real_base_state_dict.json")))!["entries"]!.AsArray();
        var checkpoint = Path.Combine(dir, "model.safetensors");
        RandomCheckpoint.WriteSafetensors(checkpoint, list);
        var config = EncodecMaeGinConfig.Parse(gin, checkpoint);
        var graph = EncodecMaeGraph.Build(config, SafetensorsReader.Open(checkpoint).Tensors, checkpoint);
        EncodecMaeMetadata.Write(graph, config);
        using (var stream = File.Create(Path.Combine(dir, ModelManifest.OnnxFileName))) graph.WriteTo(stream);
        File.Delete(checkpoint);
        return (Installed(dir, "EnCodecMAE", "base (random weights)", config.ModelDim), config);
    }

    private static InstalledModel Installed(string dir, string family, string variant, int dim) => new(dir, new ModelManifest
    {
        Family = family,
        Variant = variant,
        DefaultLayer = "last",
        Layers = new Dictionary<string, int> { ["last"] = dim },
        OnnxSha256 = "random-" + Guid.NewGuid().ToString("N"), // a fresh model each run: never shares a cached extractor
    });
}
