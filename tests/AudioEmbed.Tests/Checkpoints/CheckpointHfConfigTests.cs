using AudioEmbed.Core.Checkpoints;

namespace AudioEmbed.Tests.Checkpoints;

public class CheckpointHfConfigTests
{
    private static HfConfig Mert(string file) => HfConfig.Load(SharedData.Require("fixtures", "mert", "tiny-95m-style", file));

    [SkippableFact]
    public void MertConfigsReadWithTypedGetters()
    {
        var config = Mert("config.json");
        Assert.Equal(32, config.GetInt("hidden_size"));
        Assert.Equal(new[] { 10, 3, 3, 3, 3, 2, 2 }, config.GetIntArray("conv_kernel"));
        Assert.Equal(new[] { 5, 2, 2, 2, 2, 2, 2 }, config.GetIntArray("conv_stride"));
        Assert.False(config.GetBool("conv_bias"));
        Assert.Equal("group", config.GetString("feat_extract_norm"));
        Assert.Equal(1e-5, config.GetDouble("layer_norm_eps"));
        Assert.Equal(7, config.GetInt("not_there", 7));

        var pre = Mert("preprocessor_config.json");
        Assert.True(pre.GetBool("do_normalize"));
        Assert.Equal(24000, pre.GetInt("sampling_rate"));
    }

    [SkippableFact]
    public void MissingOrMistypedKeysNameTheFileAndKey()
    {
        var config = Mert("config.json");
        var ex = Assert.Throws<CheckpointException>(() => config.GetInt("no_such_key"));
        Assert.Equal("no_such_key", ex.Key);
        Assert.EndsWith("config.json", ex.FilePath);
        ex = Assert.Throws<CheckpointException>(() => config.GetInt("feat_extract_norm"));
        Assert.Contains("expected an integer", ex.Message);
        Assert.Throws<CheckpointException>(() => config.GetIntArray("hidden_size"));
        Assert.Throws<CheckpointException>(() => config.GetBool("hidden_size"));
    }

    [Fact]
    public void BrokenJsonIsACheckpointException()
    {
        string path = Path.Combine(Path.GetTempPath(), "ckpt-cfg-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            File.WriteAllText(path, "{\"hidden_size\": 32,");
            Assert.Contains("not valid JSON", Assert.Throws<CheckpointException>(() => HfConfig.Load(path)).Message);
            File.WriteAllText(path, "[1]");
            Assert.Contains("not a JSON object", Assert.Throws<CheckpointException>(() => HfConfig.Load(path)).Message);
        }
        finally { File.Delete(path); }
    }
}
