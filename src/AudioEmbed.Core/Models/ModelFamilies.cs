using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Models.MusiCNN;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models;

/// <summary>The families whose converters exist in this build, by catalog name.</summary>
internal static class ModelFamilies
{
    private static readonly IModelFamily[] All = { new MusicnnFamily(), new EncodecMaeFamily(), new MertFamily() };

    /// <summary>The catalog names of the families this build can convert and run (a test holds them equal to the catalog's).</summary>
    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static IModelFamily Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelStoreException($"{name} has no converter in this version of AudioEmbed.");
}
