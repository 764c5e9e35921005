using System.Text.Json.Nodes;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Tests.Checkpoints;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Mert;

/// <summary>
/// Conversion of full-size checkpoints with exactly the key/shape lists of the real MERT-v1-95M and 330M
/// (real_*_state_dict.json, with the real configs recorded beside them), synthesised as sparse safetensors
/// files (zeros with markers, see <see cref="SafetensorsWriter.WriteSparse"/>). Building shape-checks every
/// tensor against the config and must read every key; the serialised model must stay under protobuf's 2 GB.
/// The 95M graph is also run on one second of audio (zero weights: only shapes and execution are checked).
/// </summary>
public class MertRealLayoutTests : IDisposable
{
    private readonly MertTempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public MertRealLayoutTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    [SkippableTheory]
    [InlineData("real_95M_state_dict.json", 12, 768, 94_371_712L)]
    [InlineData("real_330M_state_dict.json", 24, 1024, 315_428_992L)]
    public void FullSizeCheckpoint_ConvertsWithEveryKeyChecked(string file, int layers, int hidden, long elements)
    {
        string listPath = SharedData.Require("fixtures", "mert", file);
        var tensors = SyntheticTensor.FromStateDictJson(listPath, "state_dict");
        string checkpoint = _dir.File("model.safetensors");
        SafetensorsWriter.WriteSparse(checkpoint, tensors);
        string config = _dir.File("config.json");
        File.WriteAllText(config, JsonNode.Parse(File.ReadAllText(listPath))!["config_used"]!.ToJsonString());

        var cfg = MertConfig.Load(config, MertFixtures.File("tiny-95m-style", "preprocessor_config.json"));
        Assert.Equal((layers, hidden, 400, 320), (cfg.Layers, cfg.HiddenSize, cfg.ReceptiveField, cfg.HopSamples));
        var weights = MertWeights.Open(checkpoint);
        var graph = MertGraph.Build(cfg, weights);
        Assert.Empty(weights.UnreadKeys);

        string onnx = _dir.File("model.onnx");
        long bytes;
        using (var stream = File.Create(onnx)) { graph.WriteTo(stream); bytes = stream.Length; }
        // Every value is stored once as float32 except weight_g (folded into the weight) and masked_spec_embed (unused).
        long stored = (elements - 128 - hidden) * 4;
        _log.WriteLine($"{file}: ONNX {bytes:N0} bytes for {stored:N0} bytes of weights");
        Assert.InRange(bytes, stored, stored + 4_000_000);
        Assert.True(bytes < int.MaxValue, "the model must fit one protobuf message (2 GB)");

        if (layers != 12) return; // running the 1.3 GB graph too would only repeat the shape checks at great cost
        using var session = new InferenceSession(onnx);
        Assert.Equal(layers + 1, session.OutputMetadata.Count);
        var audio = new float[24000];
        using var x = OrtValue.CreateTensorValueFromMemory(audio, new long[] { 1, audio.Length });
        using var results = session.Run(new RunOptions(), new[] { MertGraph.InputName }, new[] { x }, new[] { MertGraph.HiddenName(layers) });
        Assert.Equal(new long[] { 1, 74, hidden }, results[0].GetTensorTypeAndShape().Shape);
    }
}
