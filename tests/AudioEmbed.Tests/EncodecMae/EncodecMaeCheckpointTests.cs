using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Tests.Checkpoints;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>
/// Synthesised hub checkpoints: the exact key lists of the real base/large models (sparse, full-size) pass the
/// config-vs-weights shape check; a tiny-layout zero checkpoint converts; missing or mis-shaped tensors fail with a
/// <see cref="CheckpointException"/> naming the key.
/// </summary>
public sealed class EncodecMaeCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("real_base_config.gin", "real_base_state_dict.json", 156, 10, 768)]
    [InlineData("real_large_config.gin", "real_large_state_dict.json", 276, 20, 1024)]
    public void RealKeyLayouts_PassTheShapeCheck(string configFile, string layoutFile, int keys, int layers, int dim)
    {
        var entries = Entries(Fixture(layoutFile));
        Assert.Equal(keys, entries.Count);
        string path = _dir.File("model.pt");
        WriteCheckpoint(path, File.ReadAllText(Fixture(configFile)), entries);

        var checkpoint = TorchCheckpoint.Load(path);
        var config = EncodecMaeGinConfig.Parse(EncodecMaeFamily.ConfigText(checkpoint), path);
        Assert.Equal(layers, config.EncoderLayers);
        Assert.Equal(dim, config.ModelDim);
        var stateDict = checkpoint.StateDict("state_dict");
        EncodecMaeWeights.Check(config, stateDict, path);

        // Every key the feature path reads is in the real layout; the rest (decoder, head, post_net) is training-only.
        var used = EncodecMaeWeights.ExpectedShapes(config).Select(e => e.Key).ToHashSet();
        Assert.Equal(3 + 12 * layers + 2, used.Count); // per layer: wq wk wv wo, 2 FFN linears, 2 norms
        Assert.All(entries.Where(e => !used.Contains(e.Key)),
            e => Assert.True(e.Key.StartsWith("decoder.") || e.Key.StartsWith("head.") || e.Key.StartsWith("visible_encoder.post_net."), e.Key));
        // The shared FFN really is one storage in the synthesised file, as torch.save writes it.
        Assert.Equal(stateDict[EncodecMaeWeights.Layer(0, "ff_layer.0.weight")].StorageId, stateDict[EncodecMaeWeights.Layer(layers - 1, "ff_layer.0.weight")].StorageId);
    }

    [SkippableFact]
    public void TinyLayoutZeroCheckpoint_ConvertsWithSharedFfnStoredOnce()
    {
        string path = _dir.File("tiny.pt");
        WriteCheckpoint(path, File.ReadAllText(Fixture("tiny-mel256", "config.gin")), Entries(Fixture("tiny-mel256", "state_dict.json")));
        var bytes = EncodecMaeFamily.BuildGraph(path).ToBytes();
        var model = AudioEmbed.Core.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        var inits = model.Graph.Initializer.Select(i => i.Name).ToList();
        Assert.Contains(EncodecMaeWeights.Layer(0, "ff_layer.0.weight"), inits);
        Assert.DoesNotContain(EncodecMaeWeights.Layer(1, "ff_layer.0.weight"), inits);
        var outputs = model.Graph.Output.Select(o => o.Name).ToList();
        Assert.Equal(new[] { "post_net", "with_posemb", "layer_0", "layer_1", "last" }, outputs);
        Assert.Contains(model.MetadataProps, p => p.Key == "encodecmae.chunk_samples" && p.Value == "96000");
    }

    [SkippableTheory]
    [InlineData("visible_encoder.encoder_layers.1.att_layer.wk.weight")]
    [InlineData("masker.positional_encoder.scale")]
    [InlineData("visible_encoder.final_norm.bias")]
    [InlineData("wav_encoder.post_net.weight")]
    public void MissingWeight_NamesTheKey(string key)
    {
        string path = _dir.File("missing.pt");
        var entries = Entries(Fixture("tiny-mel256", "state_dict.json")).Where(e => e.Key != key).ToList();
        WriteCheckpoint(path, File.ReadAllText(Fixture("tiny-mel256", "config.gin")), entries);
        var ex = Assert.Throws<CheckpointException>(() => EncodecMaeFamily.BuildGraph(path));
        Assert.Equal(key, ex.Key);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("lacks", ex.Message);
    }

    [SkippableTheory]
    [InlineData("visible_encoder.encoder_layers.0.att_layer.wq.weight", new long[] { 32, 32 })] // H·⌊D/H⌋ = 30 rows expected
    [InlineData("visible_encoder.encoder_layers.1.norm2.weight", new long[] { 31 })]
    [InlineData("visible_encoder.encoder_layers.0.ff_layer.2.weight", new long[] { 32, 40 })]
    [InlineData("masker.positional_encoder.scale", new long[] { 1 })]
    public void WrongShape_NamesTheKey(string key, long[] shape)
    {
        string path = _dir.File("shape.pt");
        var entries = Entries(Fixture("tiny-mel256", "state_dict.json"))
            .Select(e => e.Key == key ? e with { Shape = shape, SameAs = null } : e.SameAs == key ? e with { SameAs = null } : e).ToList();
        WriteCheckpoint(path, File.ReadAllText(Fixture("tiny-mel256", "config.gin")), entries);
        var ex = Assert.Throws<CheckpointException>(() => EncodecMaeFamily.BuildGraph(path));
        Assert.Equal(key, ex.Key);
        Assert.Contains("shape", ex.Message);
    }

    [SkippableFact]
    public void ConfigThatDisagreesWithWeights_IsReportedAtTheFirstTensor()
    {
        string path = _dir.File("dim.pt");
        string config = File.ReadAllText(Fixture("tiny-mel256", "config.gin")).Replace("MODEL_DIM=32", "MODEL_DIM=64");
        WriteCheckpoint(path, config, Entries(Fixture("tiny-mel256", "state_dict.json")));
        var ex = Assert.Throws<CheckpointException>(() => EncodecMaeFamily.BuildGraph(path));
        Assert.Equal(EncodecMaeWeights.PostNetWeight, ex.Key);
    }

    [SkippableFact]
    public void FamilyConvert_WritesAModelTheExtractorRuns_WithEmbeddedOrSeparateGin()
    {
        var family = new EncodecMaeFamily();
        Assert.Equal("EnCodecMAE", family.Name);
        var variant = new AudioEmbed.Core.Store.ModelVariantInfo { Name = "tiny-mel256" };
        string model = Fixture("tiny-mel256", "model.pt");
        var sources = new[]
        {
            new Dictionary<string, string> { ["model.pt"] = model },
            new Dictionary<string, string> { ["model.pt"] = model, ["config.gin"] = Fixture("tiny-mel256", "config.gin") },
        };
        for (int i = 0; i < sources.Length; i++)
        {
            string onnx = _dir.File($"family{i}.onnx");
            using (var file = File.Create(onnx)) family.Convert(variant, sources[i], file);
            using var audio = new AudioEmbed.Tests.Resampling.ResamplingArraySource(Npy("tiny-mel256", "input.npy"), 24000, 1);
            var rows = new EncodecMaeExtractor(onnx, AudioEmbed.Core.Onnx.ExecutionDevice.Cpu, 0)
                .Extract(audio, "last", new AudioEmbed.Core.Pipeline.EmbeddingRequest(), CancellationToken.None);
            Tolerance.AllClose(Npy("tiny-mel256", "features.npy"), rows.Rows, 1e-3, 1e-3, "features via IModelFamily.Convert");
        }
    }

    [SkippableFact]
    public void CheckpointWithoutConfig_IsNamed()
    {
        string path = _dir.File("noconfig.pt");
        var p = new PickleBuilder().Proto(2).EmptyDict().Mark().Str("state_dict").EmptyDict().SetItems().Stop();
        TorchZipWriter.WriteArchive(path, p.ToArray(), Array.Empty<(string, byte[])>());
        var ex = Assert.Throws<CheckpointException>(() => EncodecMaeFamily.BuildGraph(path));
        Assert.Equal("config", ex.Key);
    }
}
