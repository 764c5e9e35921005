using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models;

/// <summary>
/// Everything specific to one model family: turning verified checkpoint files into ONNX, and turning
/// audio into that model's embedding. Shared machinery (store, sessions, decoders, output) stays outside.
/// Implementations are found by <see cref="ModelFamilies"/> (a public parameterless constructor is all it takes).
/// </summary>
internal interface IModelFamily
{
    string Name { get; }

    /// <summary>Converts the checkpoint files (catalog file name → local path) and writes the ONNX model.</summary>
    void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput);

    /// <summary>
    /// The layers (name → dimension) the converted model offers. For catalog variants the catalog says so; a custom
    /// checkpoint (-Name) may differ in size, so families whose size comes from the checkpoint read it back.
    /// </summary>
    IReadOnlyDictionary<string, int> Layers(ModelVariantInfo variant, string onnxPath);

    /// <summary>The embedding extractor for an installed model; created once per model and device, then reused.</summary>
    Pipeline.IEmbeddingExtractor CreateExtractor(InstalledModel model, Onnx.ExecutionDevice device, int deviceId);

    /// <summary>
    /// The family's own resampling recipe at <paramref name="targetRate"/> (its extractor's, before a user's
    /// -Resampler): the recipe of the family's default configuration, whose files keep the unsuffixed folders
    /// (see <see cref="Output.EmbeddingConfiguration.Resampler"/>). Default: resampy kaiser_best, 0.4.2 tables.
    /// </summary>
    Audio.Resampling.ResampleRecipe Resampling(int targetRate) => new(targetRate);

    /// <summary>The family-specific settings a request may carry (<see cref="Pipeline.EmbeddingRequest.Options"/>).</summary>
    IReadOnlyList<Pipeline.FamilyOption> Options => Array.Empty<Pipeline.FamilyOption>();
}
