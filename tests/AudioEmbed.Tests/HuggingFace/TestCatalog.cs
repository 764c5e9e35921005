using System.Text.Json.Nodes;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// A copy of models/catalog.json for one test, edited (e.g. MERT's pins removed so the tiny fixture checkpoints can
/// stand in for the real ones under their real names), and put in force through AUDIOEMBED_CATALOG for the cmdlets.
/// </summary>
public sealed class TestCatalog : IDisposable
{
    private readonly EnvironmentOverride _override;

    private TestCatalog(string path)
    {
        Path = path;
        _override = new EnvironmentOverride(ModelCatalog.CatalogVariable, path);
    }

    public string Path { get; }
    public ModelCatalog Catalog => ModelCatalog.Load(Path);

    /// <summary>The shipped catalog with every hub file of <paramref name="families"/> unpinned (hash and size cleared).</summary>
    public static TestCatalog Unpinned(params string[] families)
    {
        var root = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(SharedData.RepoRoot, "models", "catalog.json")))!;
        foreach (var family in root["families"]!.AsArray())
        {
            if (!families.Contains((string)family!["name"]!, StringComparer.OrdinalIgnoreCase)) continue;
            foreach (var variant in family["variants"]!.AsArray())
                foreach (var file in variant!["files"]!.AsArray())
                {
                    file!["sha256"] = "";
                    file["size"] = 0;
                }
        }
        var path = System.IO.Path.Combine(TestStore.TempDir("catalog"), "catalog.json");
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return new TestCatalog(path);
    }

    /// <summary>The shipped catalog with one variant's files pinned to the given SHA-256 values (sizes cleared).</summary>
    public static TestCatalog Pinned(string familyName, string variantName, Dictionary<string, string> pins)
    {
        var root = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(SharedData.RepoRoot, "models", "catalog.json")))!;
        foreach (var family in root["families"]!.AsArray())
            foreach (var variant in family!["variants"]!.AsArray())
            {
                if ((string)family["name"]! != familyName || (string)variant!["name"]! != variantName) continue;
                foreach (var file in variant["files"]!.AsArray())
                {
                    file!["sha256"] = pins.TryGetValue((string)file["name"]!, out var pin) ? pin : "";
                    file["size"] = 0;
                }
            }
        var path = System.IO.Path.Combine(TestStore.TempDir("catalog"), "catalog.json");
        File.WriteAllText(path, root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return new TestCatalog(path);
    }

    public void Dispose() => _override.Dispose();
}
