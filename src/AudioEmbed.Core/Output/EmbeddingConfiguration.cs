using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// What an embedding file holds besides the model family: variant, layer, pooling, precision and resampling recipe.
/// Two files of one song and model but another configuration are different data and never share a path (see <see cref="FolderName"/>).
/// </summary>
/// <param name="Resampler">
/// The resampling recipe when it is not the family's own (<see cref="ResampleRecipe.Name"/>: "torchaudio", "soxr_hq",
/// "resampy-0.4.2", "resampy-0.2.2"); "" for the family's own recipe, so every configuration and folder of before keeps
/// its meaning. Use <see cref="WithResampler"/> to set it: it turns the family's own recipe into "". A manifest line may
/// also give <see cref="ResampleRecipe.NotResampled"/>: see <see cref="SameAs"/>.
/// </param>
public sealed record EmbeddingConfiguration(string Variant, string Layer, Pooling Pooling, Precision Precision = Precision.Float32, string Resampler = "")
{
    /// <summary>The folder suffix marking an int8 configuration.</summary>
    public const string Int8Suffix = "int8";

    /// <summary>
    /// The configuration folder's name: &lt;variant&gt;.&lt;layer&gt;.&lt;pooling&gt;, then ".int8" for Int8, then
    /// ".&lt;recipe&gt;" for a recipe other than the family's (its name with '_' for '.', e.g. ".torchaudio",
    /// ".resampy-0_2_2"). Every part but the last two is named (not only the non-default ones) so a folder's meaning
    /// never depends on which variant or layer is the default in this release; the family's own recipe adds nothing,
    /// so folders written before the recipe was part of the configuration keep their names. Dots separate the parts
    /// because no layer, pooling or recipe suffix contains one, so the name parses back from the right even when a
    /// custom variant's name does.
    /// </summary>
    public string FolderName =>
        EmbeddingLayout.SafeFileName($"{Variant}.{Layer}.{Pooling.ToString().ToLowerInvariant()}"
            + (Precision == Precision.Int8 ? "." + Int8Suffix : "")
            + (IsOwnRecipe(Resampler) ? "" : "." + RecipeSuffix(Resampler)));

    /// <summary>The family's default: default variant, its default layer, mean pooling, float32, its own recipe — the seed's files.</summary>
    public static EmbeddingConfiguration DefaultOf(ModelFamilyInfo family)
    {
        var variant = family.Variant(null);
        return new EmbeddingConfiguration(variant.Name, variant.DefaultLayer, Pooling.Mean);
    }

    public bool IsDefaultOf(ModelFamilyInfo family) => SameAs(DefaultOf(family)) && IsOwnRecipe(Resampler);

    /// <summary>
    /// Variant and layer names compare case-insensitively (as -Variant and -Layer accept them). Recipes compare by
    /// name, except that a manifest line's "none" agrees with every recipe: that file was already at the model's
    /// rate, so no recipe touched its samples and it is the same data whichever one was asked for. So -SkipExisting
    /// keeps it, Get-EmbeddingStatus does not call it stale, and Export does not call it a conflict.
    /// </summary>
    public bool SameAs(EmbeddingConfiguration other) =>
        string.Equals(Variant, other.Variant, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Layer, other.Layer, StringComparison.OrdinalIgnoreCase)
        && Pooling == other.Pooling && Precision == other.Precision
        && (Resampler == ResampleRecipe.NotResampled || other.Resampler == ResampleRecipe.NotResampled
            || string.Equals(Resampler, other.Resampler, StringComparison.OrdinalIgnoreCase));

    /// <summary>"variant MTT_musicnn, layer taggram, pooling Mean, precision Float32[, resampler torchaudio]" (for messages).</summary>
    public override string ToString() => $"variant {Variant}, layer {Layer}, pooling {Pooling}, precision {Precision}"
        + (IsOwnRecipe(Resampler) ? "" : Resampler == ResampleRecipe.NotResampled ? ", not resampled" : $", resampler {Resampler}");

    /// <summary>
    /// This configuration with the recipe <paramref name="recipeName"/> (a <see cref="ResampleRecipe.Name"/>, "none",
    /// or null/"" for the family's own, as in a manifest line written before the recipe was recorded).
    /// </summary>
    public EmbeddingConfiguration WithResampler(string? recipeName, ModelFamilyInfo? family) =>
        this with { Resampler = Normalize(recipeName, family) };

    /// <summary>The recipe as a configuration holds it: "" for the family's own (or an unknown family's), else its name.</summary>
    public static string Normalize(string? recipeName, ModelFamilyInfo? family)
    {
        if (string.IsNullOrEmpty(recipeName) || family is null) return "";
        if (recipeName == ResampleRecipe.NotResampled) return recipeName;
        return string.Equals(recipeName, FamilyResampling.DefaultName(family), StringComparison.OrdinalIgnoreCase) ? "" : recipeName.ToLowerInvariant();
    }

    /// <summary>The recipe of a configuration that adds no folder suffix: the family's own ("") or "not resampled" (only ever read from a manifest line).</summary>
    private static bool IsOwnRecipe(string resampler) => resampler.Length == 0 || resampler == ResampleRecipe.NotResampled;

    private static string RecipeSuffix(string name) => name.Replace('.', '_');

    /// <summary>Reads a folder name written by <see cref="FolderName"/>; false for any other folder (a mirrored library folder, .library).</summary>
    public static bool TryParseFolderName(string name, out EmbeddingConfiguration configuration)
    {
        configuration = null!;
        var parts = name.Split('.');
        int end = parts.Length;
        string resampler = "";
        if (end >= 4 && ResampleRecipe.Names.FirstOrDefault(n => RecipeSuffix(n) == parts[end - 1]) is { } recipe) { resampler = recipe; end--; }
        var precision = Precision.Float32;
        if (end >= 4 && parts[end - 1] == Int8Suffix) { precision = Precision.Int8; end--; }
        if (end < 3) return false;
        var pooling = parts[end - 1] switch { "mean" => Pooling.Mean, "max" => Pooling.Max, "none" => Pooling.None, _ => (Pooling?)null };
        if (pooling is null || parts[end - 2].Length == 0) return false;
        var variant = string.Join('.', parts[..(end - 2)]);
        if (variant.Length == 0) return false;
        configuration = new EmbeddingConfiguration(variant, parts[end - 2], pooling.Value, precision, resampler);
        return true;
    }

    /// <summary>
    /// The configuration a manifest line records (an old line without precision was float32; one without resampler
    /// was written with the family's own recipe, the only one there was; "none" stays "none", see <see cref="SameAs"/>).
    /// </summary>
    public static EmbeddingConfiguration? Of(EmbeddingRecord record, ModelFamilyInfo? family) =>
        record.Variant.Length == 0 || record.Layer.Length == 0 || !Enum.TryParse<Pooling>(record.Pooling, true, out var pooling)
            ? null
            : new EmbeddingConfiguration(record.Variant, record.Layer, pooling,
                Enum.TryParse<Precision>(record.Precision, true, out var p) ? p : Precision.Float32, Normalize(record.Resampler, family));

    /// <summary>
    /// The configuration of an embedding computed (or imported) in this process. Its recipe is the one it was computed
    /// with (<see cref="AudioEmbedding.ResamplingRecipe"/>) even when the file was at the model's rate, so that file
    /// goes to the folder of the recipe asked for, where -SkipExisting and Get-EmbeddingStatus look for it.
    /// </summary>
    public static EmbeddingConfiguration Of(AudioEmbedding e, ModelFamilyInfo? family) =>
        new EmbeddingConfiguration(e.Variant, e.Layer, e.Pooling, e.Precision)
            .WithResampler(e.ResamplingRecipe.Length > 0 ? e.ResamplingRecipe : e.Resampler == ResampleRecipe.NotResampled ? null : e.Resampler, family);
}
