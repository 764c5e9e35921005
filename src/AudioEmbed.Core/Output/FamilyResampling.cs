using System.Collections.Concurrent;
using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// A family's own resampling recipe (its extractor's, <see cref="Models.IModelFamily.Resampling"/>), known without
/// loading a model: what the unsuffixed configuration folders hold, and what a recipe override is compared with.
/// </summary>
public static class FamilyResampling
{
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The family's own recipe at its catalog rate (resampy kaiser_best for a family this build cannot run).</summary>
    public static ResampleRecipe DefaultOf(ModelFamilyInfo family) =>
        Models.ModelFamilies.Find(family.Name)?.Resampling(family.SampleRate) ?? new ResampleRecipe(family.SampleRate);

    /// <summary>The <see cref="ResampleRecipe.Name"/> of the family's own recipe (looked up once per family).</summary>
    public static string DefaultName(ModelFamilyInfo family) => Names.GetOrAdd(family.Name, _ => DefaultOf(family).Name);

    /// <summary>
    /// The recipe a request with <paramref name="overrides"/> (-Resampler, -ResampyVersion; null = none) uses for
    /// <paramref name="family"/>, as a configuration holds it: "" when it is the family's own.
    /// </summary>
    public static string ConfigurationName(ModelFamilyInfo family, ResamplerOverrides? overrides) =>
        EmbeddingConfiguration.Normalize(DefaultOf(family).With(overrides).Name, family);
}
