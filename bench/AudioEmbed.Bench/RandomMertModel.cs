using System.Text.Json.Nodes;
using AudioEmbed.Core.Models;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Bench;

/// <summary>
/// A full-size MERT model with random weights, installed as the store installs one: the real config and key list
/// from ../shared/fixtures/mert (real_95M / real_330M_state_dict.json) → a random safetensors checkpoint → the
/// MERT family's converter → model.onnx with a manifest (layers read back from the model, ONNX hash), so the
/// embedding engine can run it like any installed model.
/// </summary>
internal static class RandomMertModel
{
    /// <summary>Builds the model in <paramref name="dir"/>; null when ../shared/fixtures/mert is absent.</summary>
    public static (InstalledModel Model, MertConfig Config)? Install(string dir, string stateDictFile, string variantName)
    {
        var shared = Paths.Shared();
        var fixtures = shared is null ? null : Path.Combine(shared, "fixtures", "mert");
        if (fixtures is null || !File.Exists(Path.Combine(fixtures, stateDictFile))) return null;
        Directory.CreateDirectory(dir);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, stateDictFile)))!;
        var sources = new Dictionary<string, string>
        {
            [MertFamily.ConfigFile] = Path.Combine(dir, MertFamily.ConfigFile),
            [MertFamily.PreprocessorFile] = Path.Combine(dir, MertFamily.PreprocessorFile),
            [MertFamily.SafetensorsFile] = Path.Combine(dir, MertFamily.SafetensorsFile),
        };
        File.WriteAllText(sources[MertFamily.ConfigFile], json["config_used"]!.ToJsonString());
        // The real 95M preprocessor config (do_normalize true, 24 kHz); the 330M one has the same fields.
        File.Copy(Path.Combine(fixtures, "tiny-95m-style", MertFamily.PreprocessorFile), sources[MertFamily.PreprocessorFile], overwrite: true);
        RandomCheckpoint.WriteSafetensors(sources[MertFamily.SafetensorsFile], json["state_dict"]!.AsArray());
        var config = MertConfig.Load(sources[MertFamily.ConfigFile], sources[MertFamily.PreprocessorFile]);

        var catalog = ModelCatalog.Load(Path.Combine(Paths.RepoRoot(), "models", "catalog.json"));
        var family = catalog.Family("Mert");
        var variant = family.Variant(variantName);
        var converter = ModelFamilies.Get(family.Name);
        var onnx = Path.Combine(dir, ModelManifest.OnnxFileName);
        using (var stream = File.Create(onnx)) converter.Convert(variant, sources, stream);
        File.Delete(sources[MertFamily.SafetensorsFile]);
        var layers = converter.Layers(variant, onnx);
        var manifest = new ModelManifest
        {
            Family = family.Name,
            Variant = variant.Name,
            Architecture = variant.Architecture,
            License = variant.License,
            SampleRate = family.SampleRate,
            DefaultLayer = variant.DefaultLayer,
            Layers = new Dictionary<string, int>(layers),
            OnnxSha256 = FileHash.Sha256(onnx),
            InstalledUtc = DateTime.UtcNow,
        };
        manifest.Save(Path.Combine(dir, ModelManifest.FileName));
        return (new InstalledModel(dir, manifest), config);
    }
}
