using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Output;

/// <summary>
/// What an embedding file holds besides the model family: variant, layer, pooling and precision. Two files of one
/// song and model but another configuration are different data and never share a path (see <see cref="FolderName"/>).
/// </summary>
public sealed record EmbeddingConfiguration(string Variant, string Layer, Pooling Pooling, Precision Precision = Precision.Float32)
{
    /// <summary>The folder suffix marking an int8 configuration.</summary>
    public const string Int8Suffix = "int8";

    /// <summary>
    /// The configuration folder's name: &lt;variant&gt;.&lt;layer&gt;.&lt;pooling&gt;, then ".int8" for Int8. Every part is
    /// named (not only the non-default ones) so a folder's meaning never depends on which variant or layer is the
    /// default in this release; dots separate the parts because no layer or pooling name contains one, so the name
    /// parses back from the right even when a custom variant's name does.
    /// </summary>
    public string FolderName =>
        EmbeddingLayout.SafeFileName($"{Variant}.{Layer}.{Pooling.ToString().ToLowerInvariant()}" + (Precision == Precision.Int8 ? "." + Int8Suffix : ""));

    /// <summary>The family's default: default variant, its default layer, mean pooling, float32 — the seed's files.</summary>
    public static EmbeddingConfiguration DefaultOf(ModelFamilyInfo family)
    {
        var variant = family.Variant(null);
        return new EmbeddingConfiguration(variant.Name, variant.DefaultLayer, Pooling.Mean);
    }

    public bool IsDefaultOf(ModelFamilyInfo family) => SameAs(DefaultOf(family));

    /// <summary>Variant and layer names compare case-insensitively (as -Variant and -Layer accept them).</summary>
    public bool SameAs(EmbeddingConfiguration other) =>
        string.Equals(Variant, other.Variant, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Layer, other.Layer, StringComparison.OrdinalIgnoreCase)
        && Pooling == other.Pooling && Precision == other.Precision;

    /// <summary>"variant MTT_musicnn, layer taggram, pooling Mean, precision Float32" (for messages).</summary>
    public override string ToString() => $"variant {Variant}, layer {Layer}, pooling {Pooling}, precision {Precision}";

    /// <summary>Reads a folder name written by <see cref="FolderName"/>; false for any other folder (a mirrored library folder, .library).</summary>
    public static bool TryParseFolderName(string name, out EmbeddingConfiguration configuration)
    {
        configuration = null!;
        var parts = name.Split('.');
        int end = parts.Length;
        var precision = Precision.Float32;
        if (end >= 4 && parts[end - 1] == Int8Suffix) { precision = Precision.Int8; end--; }
        if (end < 3) return false;
        var pooling = parts[end - 1] switch { "mean" => Pooling.Mean, "max" => Pooling.Max, "none" => Pooling.None, _ => (Pooling?)null };
        if (pooling is null || parts[end - 2].Length == 0) return false;
        var variant = string.Join('.', parts[..(end - 2)]);
        if (variant.Length == 0) return false;
        configuration = new EmbeddingConfiguration(variant, parts[end - 2], pooling.Value, precision);
        return true;
    }

    /// <summary>The configuration a manifest line records (an old line without precision was float32).</summary>
    public static EmbeddingConfiguration? Of(EmbeddingRecord record) =>
        record.Variant.Length == 0 || record.Layer.Length == 0 || !Enum.TryParse<Pooling>(record.Pooling, true, out var pooling)
            ? null
            : new EmbeddingConfiguration(record.Variant, record.Layer, pooling,
                Enum.TryParse<Precision>(record.Precision, true, out var p) ? p : Precision.Float32);

    /// <summary>The configuration of an embedding computed (or imported) in this process.</summary>
    public static EmbeddingConfiguration Of(AudioEmbedding e) => new(e.Variant, e.Layer, e.Pooling, e.Precision);
}
