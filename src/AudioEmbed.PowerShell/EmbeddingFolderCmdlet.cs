using System.Management.Automation;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.PowerShell.Completers;

namespace AudioEmbed.PowerShell;

/// <summary>
/// The parameters of the cmdlets that read embedding folders (Find-SimilarAudio, Export-EmbeddingTable,
/// Compare-AudioEmbedding, Get-EmbeddingStatus): which models' folders, and which one configuration of them
/// (-Variant, -Layer, -Pooling, -Precision, -Resampler, -ResampyVersion), declared once so they cannot drift apart.
/// </summary>
public abstract class EmbeddingFolderCmdlet : PSCmdlet
{
    /// <summary>One model, or several (combined, or each on its own: see the cmdlet).</summary>
    [Parameter]
    [ValidateModelFamily]
    [ArgumentCompleter(typeof(ModelFamilyCompleter))]
    public string[]? Model { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(VariantCompleter))]
    public string? Variant { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LayerCompleter))]
    public string? Layer { get; set; }

    [Parameter]
    public Pooling Pooling { get; set; } = Pooling.Mean;

    [Parameter]
    public Precision Precision { get; set; } = Precision.Float32;

    /// <summary>The resampling recipe of the configuration (default: the family's own); a non-default one has its own folder.</summary>
    [Parameter]
    [ValidateSet(ResamplerNames.SoxrHq, ResamplerNames.Torchaudio, ResamplerNames.Resampy)]
    public string? Resampler { get; set; }

    /// <summary>With a recipe that uses resampy: its tables (default 0.4.2), as Get-AudioEmbedding -ResampyVersion.</summary>
    [Parameter]
    [ValidateSet(ResamplerNames.Resampy042, ResamplerNames.Resampy022)]
    public string? ResampyVersion { get; set; }

    /// <summary>True when any configuration parameter was given (else each model's default configuration).</summary>
    protected bool ConfigurationGiven =>
        Variant != null || Layer != null || Pooling != Pooling.Mean || Precision != Precision.Float32 || Resampler != null || ResampyVersion != null;

    /// <summary>The configuration these parameters name, for each of <paramref name="models"/>.</summary>
    protected List<ConfigurationResolver.Resolved> ResolveConfigurations(string[] models) =>
        LibraryOptions.Resolve(this, models, Variant, Layer, Pooling, Precision, ResamplerNames.Overrides(Resampler, ResampyVersion));
}
