using AudioEmbed.Core.Store;

namespace AudioEmbed.PowerShell;

/// <summary>What every cmdlet shares: the catalog shipped in the module folder and the store it points at.</summary>
internal static class ModuleContext
{
    /// <summary>The module's catalog, or the one in $env:AUDIOEMBED_CATALOG.</summary>
    public static ModelCatalog Catalog => ModelCatalog.LoadDefault(Path.Combine(ModuleInitializer.ModuleDirectory, "models", "catalog.json"));

    /// <summary>The store at -ModelPath when given, else $env:AUDIOEMBED_HOME, else the per-user cache.</summary>
    public static ModelStore Store(string? modelPath) =>
        new(string.IsNullOrWhiteSpace(modelPath) ? StoreLocation.DefaultHome() : modelPath, Catalog);
}
