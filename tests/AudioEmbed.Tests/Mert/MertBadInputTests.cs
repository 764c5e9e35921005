using System.Text.Json.Nodes;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Models.Mert;

namespace AudioEmbed.Tests.Mert;

/// <summary>
/// A config of another model, a broken config, a missing tensor or a tensor of the wrong shape: each is a
/// <see cref="CheckpointException"/> naming the file and the key, raised before any graph is written.
/// </summary>
public class MertBadInputTests : IDisposable
{
    private const string Style = "tiny-95m-style";
    private readonly MertTempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string EditedConfig(string file, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(MertFixtures.File(Style, file)))!.AsObject();
        edit(json);
        string path = _dir.File(file);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static CheckpointException Build(string config, string preprocessor, string checkpoint) =>
        Assert.Throws<CheckpointException>(() => MertFamily.BuildGraph(config, preprocessor, checkpoint));

    private string Config => MertFixtures.File(Style, "config.json");
    private string Preprocessor => MertFixtures.File(Style, "preprocessor_config.json");
    private string Checkpoint => MertFixtures.File(Style, "model.safetensors");

    [SkippableTheory]
    [InlineData("model_type", "\"hubert\"", "not a MERT checkpoint")]
    [InlineData("model_type", "\"wav2vec2\"", "not a MERT checkpoint")]
    [InlineData("feature_extractor_cqt", "true", "CQT")]
    [InlineData("deepnorm", "true", "deepnorm")]
    [InlineData("hidden_act", "\"relu\"", "not supported")]
    [InlineData("feat_extract_norm", "\"batch\"", "neither")]
    [InlineData("num_attention_heads", "5", "multiple")]
    [InlineData("conv_kernel", "[10, 3]", "same non-zero length")]
    [InlineData("hidden_size", "\"32\"", "integer")]
    public void ConfigProblems_NameConfigFileAndKey(string key, string value, string problem)
    {
        string config = EditedConfig("config.json", j => j[key] = JsonNode.Parse(value));
        var ex = Build(config, Preprocessor, Checkpoint);
        Assert.Equal(config, ex.FilePath);
        Assert.Equal(key == "conv_kernel" ? "conv_dim" : key, ex.Key);
        Assert.Contains(problem, ex.Message);
    }

    [SkippableFact]
    public void MissingConfigKey_IsNamed()
    {
        string config = EditedConfig("config.json", j => j.Remove("intermediate_size"));
        var ex = Build(config, Preprocessor, Checkpoint);
        Assert.Equal(("intermediate_size", config), (ex.Key, ex.FilePath));
    }

    [SkippableFact]
    public void PreprocessorAtAnotherRate_IsNamed()
    {
        string pre = EditedConfig("preprocessor_config.json", j => j["sampling_rate"] = 16000);
        var ex = Build(Config, pre, Checkpoint);
        Assert.Equal(("sampling_rate", pre), (ex.Key, ex.FilePath));
    }

    /// <summary>Rewrites the tiny safetensors with one tensor removed or reshaped (same values).</summary>
    private string EditedCheckpoint(string key, long[]? newShape) =>
        MertFixtures.RewriteSafetensors(Checkpoint, _dir.File("model.safetensors"),
            t => t.Name != key ? (t.Name, t.Shape.ToArray()) : newShape is null ? null : (t.Name, newShape));

    [SkippableTheory]
    [InlineData("encoder.layers.1.attention.v_proj.bias")]
    [InlineData("feature_extractor.conv_layers.0.layer_norm.weight")]
    [InlineData("encoder.pos_conv_embed.conv.weight_g")]
    [InlineData("feature_projection.projection.weight")]
    public void MissingTensor_NamesCheckpointAndKey(string key)
    {
        string checkpoint = EditedCheckpoint(key, null);
        var ex = Build(Config, Preprocessor, checkpoint);
        Assert.Equal((key, checkpoint), (ex.Key, ex.FilePath));
        Assert.Contains("no tensor", ex.Message);
    }

    [SkippableTheory]
    [InlineData("encoder.layers.1.feed_forward.intermediate_dense.weight", new long[] { 32, 64 })]
    [InlineData("encoder.pos_conv_embed.conv.weight_v", new long[] { 32, 2, 64, 2 })]
    [InlineData("feature_extractor.conv_layers.3.conv.weight", new long[] { 32, 96 })]
    [InlineData("masked_spec_embed", new long[] { 1, 32 })]
    public void WrongShape_NamesCheckpointAndKey(string key, long[] shape)
    {
        string checkpoint = EditedCheckpoint(key, shape);
        var ex = Build(Config, Preprocessor, checkpoint);
        Assert.Equal((key, checkpoint), (ex.Key, ex.FilePath));
        Assert.Contains("differs", ex.Message);
    }
}
