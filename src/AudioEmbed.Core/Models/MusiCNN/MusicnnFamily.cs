using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>MusiCNN (musicnn and vgg architectures) from the musicnn_keras .h5 checkpoints.</summary>
internal sealed class MusicnnFamily : IModelFamily
{
    public string Name => "MusiCNN";

    public void Convert(ModelVariantInfo variant, IReadOnlyDictionary<string, string> sourceFiles, Stream onnxOutput)
    {
        var file = sourceFiles.Values.Single();
        using var checkpoint = KerasH5Checkpoint.Open(file);
        var graph = variant.Architecture switch
        {
            "musicnn" => MusicnnGraph.Build(checkpoint),
            "vgg" => VggGraph.Build(checkpoint),
            var other => throw new ModelStoreException($"MusiCNN variant {variant.Name} names an unknown architecture '{other}' in the catalog."),
        };
        graph.Metadata("audioembed.family", Name);
        graph.Metadata("audioembed.variant", variant.Name);
        graph.WriteTo(onnxOutput);
    }

    /// <summary>musicnn and vgg have one fixed size each: the catalog's layers hold for any checkpoint that converts.</summary>
    public IReadOnlyDictionary<string, int> Layers(ModelVariantInfo variant, string onnxPath) => variant.Layers;

    /// <summary>musicnn's librosa 0.8.1 recipe: resampy kaiser_best (0.4.2 tables by default) and fix_length to ceil(n·r).</summary>
    public Audio.Resampling.ResampleRecipe Resampling(int targetRate) => Recipe(targetRate);

    internal static Audio.Resampling.ResampleRecipe Recipe(int targetRate) => new(targetRate)
    {
        Kind = Audio.Resampling.ResamplerKind.Resampy,
        ResampyVersion = Audio.Resampling.ResampyVersion.V0_4_2,
        Length = Audio.Resampling.OutputLength.LibrosaFixLength,
    };

    public IEmbeddingExtractor CreateExtractor(InstalledModel model, ExecutionDevice device, int deviceId) =>
        new MusicnnExtractor(model, device, deviceId);
}
