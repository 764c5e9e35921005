using System.Management.Automation;
using AudioEmbed.Core.Library;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// What the library cmdlets (Find-SimilarAudio, Export-EmbeddingTable, Compare-AudioEmbedding) share: which models'
/// folders, which configuration (-Variant/-Layer/-Pooling/-Precision/-Resampler/-ResampyVersion, only with one model),
/// resolved once per call.
/// </summary>
internal static class LibraryOptions
{
    public static List<ConfigurationResolver.Resolved> Resolve(PSCmdlet cmdlet, string[] models, string? variant, string? layer, Pooling pooling, Precision precision,
        Core.Audio.Resampling.ResamplerOverrides? resampler = null)
    {
        bool configured = variant != null || layer != null || pooling != Pooling.Mean || precision != Precision.Float32 || resampler != null;
        if (configured && models.Length > 1)
            cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(
                "-Variant, -Layer, -Pooling, -Precision and -Resampler name one model's configuration: use them with a single -Model (several models are combined in their default configuration)."),
                ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, null));
        var result = new List<ConfigurationResolver.Resolved>();
        foreach (var model in models.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try { result.Add(ConfigurationResolver.Resolve(ModuleContext.Catalog, ModuleContext.Store(null), model, variant, layer, pooling, precision, resampler)); }
            catch (Core.Store.ModelStoreException ex)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidLayer, ErrorCategory.InvalidArgument, model));
            }
        }
        return result;
    }

    /// <summary>Opens (refreshing its cache) one configuration's library; its left-out files become warnings naming them.</summary>
    public static EmbeddingLibrary Open(PSCmdlet cmdlet, string outputDirectory, ConfigurationResolver.Resolved wanted)
    {
        var library = EmbeddingLibrary.Open(outputDirectory, wanted);
        foreach (var issue in library.Issues) cmdlet.WriteWarning($"{wanted.Family.Name} library: {issue}");
        var r = library.CacheRefresh;
        cmdlet.WriteVerbose(r.Rebuilt
            ? $"{wanted.Family.Name} ({wanted.Configuration}): {library.Entries.Count} songs in '{library.ConfigurationDirectory}'; search matrix rebuilt ({r.Reused} rows kept, {r.Read} files read) at '{r.MatrixPath}'."
            : $"{wanted.Family.Name} ({wanted.Configuration}): {library.Entries.Count} songs in '{library.ConfigurationDirectory}'; search matrix current at '{r.MatrixPath}'.");
        return library;
    }
}
