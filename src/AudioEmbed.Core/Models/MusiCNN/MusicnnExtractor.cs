using AudioEmbed.Core.Audio.Resampling;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// musicnn's preprocessing and inference: mono → 16 kHz (resampy kaiser_best + librosa's fix_length) → log-mel
/// patches of 187 × 96 as they complete (<see cref="MusicnnFrontendStream"/>) → the model, a batch of patches at a
/// time. One row per patch for the chosen layer (two per patch for vgg's pool5, which keeps two time steps); with
/// tags, the taggram's mean over the patches too. The loop, batching and pooling are the shared
/// <see cref="StreamingExtractor"/>'s.
/// </summary>
internal sealed class MusicnnExtractor : StreamingExtractor
{
    private const int BatchPatches = 8;
    private readonly IReadOnlyDictionary<string, int> _layerWidths;
    private readonly string[] _outputs;

    public MusicnnExtractor(InstalledModel model, ExecutionDevice device, int deviceId) : this(SessionFactory.Get(model.OnnxPath, device, deviceId), model) { }

    private MusicnnExtractor((Microsoft.ML.OnnxRuntime.InferenceSession Session, ExecutionDevice Device) session, InstalledModel model)
        : base(session.Session, session.Device)
    {
        _layerWidths = model.Manifest.Layers;
        _outputs = Session.OutputMetadata.Keys.ToArray();
    }

    /// <summary>musicnn's librosa 0.8.1 recipe (<see cref="MusicnnFamily.Recipe"/>).</summary>
    public override ResampleRecipe Resampling { get; } = MusicnnFamily.Recipe(MusicnnFrontend.SampleRate);

    protected override FilePlan Plan(string layer, EmbeddingRequest request)
    {
        var none = NumberedLayers.None("MusiCNN");
        var selection = LayerSelection.Parse(layer, none, _outputs);
        var reader = new LayerReader(selection, none, Width(selection.Name));
        // A patch's rows (one, or two for vgg's pool5) share its 3 s evenly.
        var plan = new FilePlan(new MusicnnFrontendStream(), MusicnnLayers.Patches, BatchPatches, reader, "the file holds no audio samples")
        { RowHopSamples = rowsPerPatch => (double)MusicnnFrontendStream.PatchSamples / rowsPerPatch };
        if (!request.IncludeTags) return plan;

        // The tags' mean over the patches: the taggram rows pooled as they come (the layer's own rows when it is the taggram).
        var tags = RowCollector.Pool(Pooling.Mean, MusicnnLayers.TagCount);
        bool layerIsTaggram = selection.Name == MusicnnLayers.Taggram;
        int tagOutput = layerIsTaggram ? 0 : reader.Outputs.Length;
        return plan with
        {
            ExtraOutputs = layerIsTaggram ? Array.Empty<string>() : new[] { MusicnnLayers.Taggram },
            OnOutputs = results => tags.Add(results[tagOutput].GetTensorDataAsSpan<float>()),
            MeanTaggram = tags.ToArray,
        };
    }

    /// <summary>Values per row of an output: the catalog's layer width, else the graph's last axis.</summary>
    private int Width(string output)
    {
        if (_layerWidths.TryGetValue(output, out int width)) return width;
        var dims = Session.OutputMetadata[output].Dimensions;
        return dims.Length > 0 && dims[^1] > 0 ? dims[^1]
            : throw new ArgumentException($"MusiCNN's output '{output}' has no fixed width.", nameof(output));
    }
}
