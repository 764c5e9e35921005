using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Models.MusiCNN;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models;

/// <summary>The families whose converters exist in this build, by catalog name.</summary>
internal static class ModelFamilies
{
    private static readonly IModelFamily[] All = { new MusicnnFamily(), new EncodecMaeFamily(), new MertFamily() };

    public static IModelFamily Get(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelStoreException($"{name} has no converter in this version of AudioEmbed.");
}
