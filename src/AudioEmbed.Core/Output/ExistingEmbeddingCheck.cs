using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// What -SkipExisting asks for one model: is this configuration's embedding of an audio file already in the output
/// folder? Done means a readable .npy of a shape the model produces at the configuration's path, whose manifest line
/// (when it has one) names the same configuration and the current (layers, frames, hidden) layout: the files
/// Get-EmbeddingStatus counts valid and not stale for that configuration. Built once per run; the manifest is read once.
/// </summary>
public sealed class ExistingEmbeddingCheck
{
    private readonly string _outputDirectory;
    private readonly string _modelDirectory;
    private readonly ModelFamilyInfo _family;
    private readonly string _configurationFolder;
    private readonly EmbeddingConfiguration _configuration;
    private readonly IReadOnlyCollection<int> _validDimensions;
    private readonly OutputLayout _layout;
    private readonly IReadOnlyDictionary<string, EmbeddingRecord> _manifest;

    public ExistingEmbeddingCheck(string outputDirectory, ModelFamilyInfo family, EmbeddingConfiguration configuration,
        IReadOnlyCollection<int> validDimensions, OutputLayout layout)
    {
        _outputDirectory = outputDirectory;
        _family = family;
        _modelDirectory = Path.Combine(outputDirectory, family.Folder);
        _configuration = configuration;
        _configurationFolder = OutputLayout.ConfigurationFolder(family, configuration);
        _validDimensions = validDimensions;
        _layout = layout;
        _manifest = EmbeddingManifest.Load(_modelDirectory);
    }

    /// <summary>The .npy that already holds this configuration's embedding of <paramref name="audioPath"/>, or null.</summary>
    public string? Existing(string audioPath)
    {
        string npy;
        try { npy = _layout.PathFor(_outputDirectory, _family.Folder, audioPath, configurationFolder: _configurationFolder); }
        catch (ArgumentException) { return null; } // outside the layout root: Export reports it

        if (!File.Exists(npy) || !EmbeddingStatusScanner.IsValid(npy, _validDimensions)) return null;
        if (_manifest.TryGetValue(EmbeddingManifest.KeyFor(_modelDirectory, npy), out var record))
        {
            // A file of another configuration at this path (written before configuration folders, or before the
            // resampling recipe was part of the configuration: a -Resampler Torchaudio file in the default folder), or a -Layer All
            // sequence in the older (frames, layers, hidden) layout, is not this embedding: Get-EmbeddingStatus calls both stale.
            if (EmbeddingConfiguration.Of(record, _family) is { } recorded && !recorded.SameAs(_configuration)) return null;
            if (EmbeddingStatusScanner.IsOlderLayerLayout(record)) return null;
        }
        return npy;
    }
}
