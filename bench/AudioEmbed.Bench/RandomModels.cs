using System.Text.Json.Nodes;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Models;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// Full-size MERT and EnCodecMAE models with random weights, built from the real configurations and key lists in
/// ../shared/fixtures (the real checkpoints are not reachable here): a random safetensors checkpoint, converted once
/// per precision asked. The one place the benchmarks build their models.
/// </summary>
internal static class RandomModels
{
    /// <summary>
    /// MERT of the given key list (real_95M_state_dict.json / real_330M_state_dict.json) in <paramref name="dir"/>,
    /// converted per precision; null when ../shared/fixtures/mert is absent. <paramref name="torchInit"/>: see
    /// <see cref="RandomCheckpoint.WriteSafetensors"/>.
    /// </summary>
    public static (MertConfig Config, string[] Onnx)? Mert(string dir, string stateDictFile, bool torchInit, params Precision[] precisions)
    {
        var fixtures = Paths.Shared() is { } shared ? Path.Combine(shared, "fixtures", "mert") : null;
        if (fixtures is null || !File.Exists(Path.Combine(fixtures, stateDictFile))) return null;
        Directory.CreateDirectory(dir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, stateDictFile)))!;
        string configPath = Path.Combine(dir, MertFamily.ConfigFile), preprocessorPath = Path.Combine(dir, MertFamily.PreprocessorFile);
        File.WriteAllText(configPath, json["config_used"]!.ToJsonString());
        // The real 95M preprocessor config (do_normalize true, 24 kHz); the 330M one has the same fields.
        File.Copy(Path.Combine(fixtures, "tiny-95m-style", MertFamily.PreprocessorFile), preprocessorPath, overwrite: true);
        var checkpoint = Path.Combine(dir, MertFamily.SafetensorsFile);
        RandomCheckpoint.WriteSafetensors(checkpoint, json["state_dict"]!.AsArray(), torchInit);
        var config = MertConfig.Load(configPath, preprocessorPath);
        var paths = Convert(dir, precisions, precision => MertGraph.Build(config, MertWeights.Open(checkpoint), precision));
        File.Delete(checkpoint);
        return (config, paths);
    }

    /// <summary>EnCodecMAE of the given fixture pair (real_base / real_large), converted per precision; null when absent.</summary>
    public static (EncodecMaeGinConfig Config, string[] Onnx)? EncodecMae(string dir, string fixture, bool torchInit, params Precision[] precisions)
    {
        var fixtures = Paths.Shared() is { } shared ? Path.Combine(shared, "fixtures", "encodecmae") : null;
        if (fixtures is null || !File.Exists(Path.Combine(fixtures, fixture + "_config.gin"))) return null;
        Directory.CreateDirectory(dir);
        var gin = File.ReadAllText(Path.Combine(fixtures, fixture + "_config.gin"));
        var list = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, fixture + "_state_dict.json")))!["entries"]!.AsArray();
        var checkpoint = Path.Combine(dir, "model.safetensors");
        RandomCheckpoint.WriteSafetensors(checkpoint, list, torchInit);
        var config = EncodecMaeGinConfig.Parse(gin, checkpoint);
        var paths = Convert(dir, precisions, precision =>
        {
            var graph = EncodecMaeGraph.Build(config, SafetensorsReader.Open(checkpoint).Tensors, checkpoint, precision);
            EncodecMaeMetadata.Write(graph, config);
            return graph;
        });
        File.Delete(checkpoint);
        return (config, paths);
    }

    /// <summary>
    /// A converted model as the engine runs an installed one (a manifest beside model.onnx, layers read back from the
    /// model). Its hash is fresh each run, so no cached extractor of an earlier run is reused.
    /// </summary>
    public static InstalledModel Installed(string dir, string onnxPath, string familyName, string variantName)
    {
        var onnx = Path.Combine(dir, ModelManifest.OnnxFileName);
        if (Path.GetFullPath(onnxPath) != Path.GetFullPath(onnx)) File.Move(onnxPath, onnx, overwrite: true);
        var catalog = ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"));
        var family = catalog.Family(familyName);
        var variant = family.Variant(variantName);
        var manifest = new ModelManifest
        {
            Family = family.Name,
            Variant = variant.Name,
            Architecture = variant.Architecture,
            License = variant.License,
            SampleRate = family.SampleRate,
            DefaultLayer = variant.DefaultLayer,
            Layers = new Dictionary<string, int>(ModelFamilies.Get(family.Name).Layers(variant, onnx)),
            OnnxSha256 = "random-" + Guid.NewGuid().ToString("N"),
            InstalledUtc = DateTime.UtcNow,
        };
        manifest.Save(Path.Combine(dir, ModelManifest.FileName));
        return new InstalledModel(dir, manifest);
    }

    /// <summary>MERT-v1-95M or -330M, float32, as an installed model; null when the fixtures are absent.</summary>
    public static (InstalledModel Model, MertConfig Config)? InstalledMert(string dir, string stateDictFile, string variantName) =>
        Mert(dir, stateDictFile, false, Precision.Float32) is var (config, onnx) ? (Installed(dir, onnx[0], "Mert", variantName), config) : null;

    /// <summary>EnCodecMAE base or large, float32, as an installed model; null when the fixtures are absent.</summary>
    public static (InstalledModel Model, EncodecMaeGinConfig Config)? InstalledEncodecMae(string dir, string fixture, string variantName) =>
        EncodecMae(dir, fixture, false, Precision.Float32) is var (config, onnx) ? (Installed(dir, onnx[0], "EnCodecMAE", variantName), config) : null;

    private static string[] Convert(string dir, Precision[] precisions, Func<Precision, OnnxGraphBuilder> build)
    {
        var paths = new string[precisions.Length];
        for (int i = 0; i < precisions.Length; i++)
        {
            paths[i] = Path.Combine(dir, $"model-{precisions[i]}.onnx");
            using var stream = File.Create(paths[i]);
            build(precisions[i]).WriteTo(stream);
        }
        return paths;
    }
}
