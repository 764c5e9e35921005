namespace AudioEmbed.Core.Store;

public sealed partial class ModelStore
{
    /// <summary>The manifests of the custom checkpoints installed for a family (-Name at install), by name.</summary>
    public IReadOnlyList<ModelManifest> CustomVariants(string familyName) =>
        CustomModels(Catalog.Family(familyName)).Select(m => m.Manifest).ToList();

    /// <summary>
    /// The layers (name → dimension) of a variant: from the installed model's manifest when it is installed (a custom
    /// checkpoint's sizes come from the checkpoint itself), else from the catalog; null when the name is neither.
    /// </summary>
    public IReadOnlyDictionary<string, int>? VariantLayers(string familyName, string variantName)
    {
        var family = Catalog.Family(familyName);
        try
        {
            if (Find(family.Name, variantName) is { } installed) return installed.Manifest.Layers;
        }
        catch (ModelStoreException) { return null; } // neither in the catalog nor installed
        return family.Variants.FirstOrDefault(v => string.Equals(v.Name, variantName, StringComparison.OrdinalIgnoreCase))?.Layers;
    }

    /// <summary>
    /// The embedding widths a family's .npy files may have: those of one variant when it is named (what -SkipExisting
    /// of that variant accepts), else those of every catalog variant (as installed, when it is) and every installed
    /// custom checkpoint. Both
    /// Get-EmbeddingStatus and Get-AudioEmbedding -SkipExisting ask here, so they agree on what is valid.
    /// </summary>
    public int[] EmbeddingDimensions(string familyName, string? variantName = null)
    {
        if (variantName != null && VariantLayers(familyName, variantName) is { } layers)
            return layers.Values.Distinct().ToArray();
        var family = Catalog.Family(familyName);
        return family.Variants.SelectMany(v => (VariantLayers(family.Name, v.Name) ?? v.Layers).Values) // an installed model's own sizes
            .Concat(CustomModels(family).SelectMany(m => m.Manifest.Layers.Values))
            .Distinct().ToArray();
    }
}
