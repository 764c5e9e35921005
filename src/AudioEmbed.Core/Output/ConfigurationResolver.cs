using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// Turns what a user asked (-Variant, -Layer, -Pooling, -Precision, -Resampler/-ResampyVersion, each optional) into the full configuration and
/// its folder, the way Get-AudioEmbedding would resolve it: the family's default variant, the variant's default
/// layer, its layers and widths (the installed model's manifest when installed, else the catalog), names matched
/// case-insensitively.
/// </summary>
public static class ConfigurationResolver
{
    /// <param name="Dimension">The configuration's vector width (with -Layer All, every layer's side by side).</param>
    public sealed record Resolved(ModelFamilyInfo Family, EmbeddingConfiguration Configuration, string Folder, int[] Dimensions, int Dimension)
    {
        public bool IsDefault => Folder.Length == 0;
    }

    public static Resolved Resolve(ModelCatalog catalog, ModelStore? store, string model, string? variant, string? layer,
        Pooling pooling = Pooling.Mean, Precision precision = Precision.Float32, Audio.Resampling.ResamplerOverrides? resampler = null)
    {
        var family = catalog.Family(model);
        var catalogVariant = family.Variants.FirstOrDefault(v => string.Equals(v.Name, variant ?? family.DefaultVariant, StringComparison.OrdinalIgnoreCase));
        string variantName; string defaultLayer; IReadOnlyDictionary<string, int> layers;
        if (catalogVariant != null)
        {
            // The installed model's own sizes when it is installed (what its embeddings really have, as the store's
            // EmbeddingDimensions answers -SkipExisting and Get-EmbeddingStatus), else the catalog's.
            variantName = catalogVariant.Name;
            layers = store?.VariantLayers(family.Name, catalogVariant.Name) is { Count: > 0 } installed ? installed : catalogVariant.Layers;
            defaultLayer = layers.ContainsKey(catalogVariant.DefaultLayer) ? catalogVariant.DefaultLayer : layers.Keys.First();
        }
        else
        {
            var installed = store?.Find(family.Name, variant)
                ?? throw new ModelStoreException($"Unknown variant '{variant}' of {family.Name}: not in the catalog ({string.Join(", ", family.Variants.Select(v => v.Name))}) and not installed.");
            variantName = installed.Manifest.Variant; defaultLayer = installed.Manifest.DefaultLayer; layers = installed.Manifest.Layers;
        }
        var layerName = layer is null ? defaultLayer
            : layers.Keys.FirstOrDefault(k => string.Equals(k, layer, StringComparison.OrdinalIgnoreCase))
              ?? throw new ModelStoreException($"{family.Name} {variantName} has no layer '{layer}'. Layers: {string.Join(", ", layers.Keys)}.");
        var configuration = new EmbeddingConfiguration(variantName, layerName, pooling, precision, FamilyResampling.ConfigurationName(family, resampler));
        return new Resolved(family, configuration, OutputLayout.ConfigurationFolder(family, configuration), layers.Values.Distinct().ToArray(), layers[layerName]);
    }
}
