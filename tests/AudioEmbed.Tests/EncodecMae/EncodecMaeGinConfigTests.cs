using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;
using AudioEmbed.Core.Models.EncodecMae;
using static AudioEmbed.Tests.EncodecMae.EncodecMaeTestSupport;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>The gin config parser on the tiny fixture config and the reconstructed real base/large configs.</summary>
public class EncodecMaeGinConfigTests
{
    [SkippableTheory]
    [InlineData("tiny-mel256/config.gin", 32, 2, 3, 48, 10, 30)]
    [InlineData("real_base_config.gin", 768, 10, 12, 4096, 64, 768)]
    [InlineData("real_large_config.gin", 1024, 20, 12, 4096, 85, 1020)]
    public void ParsesEncoderShapeAndFrontEnd(string file, int dim, int layers, int heads, int ff, int headDim, int width)
    {
        string path = Fixture(file.Split('/'));
        var c = EncodecMaeGinConfig.Parse(File.ReadAllText(path), path);
        Assert.Equal(dim, c.ModelDim);
        Assert.Equal(layers, c.EncoderLayers);
        Assert.Equal(heads, c.EncoderHeads);
        Assert.Equal(ff, c.FeedForwardDim);
        Assert.Equal(headDim, c.HeadDim);
        Assert.Equal(width, c.AttentionWidth);
        Assert.Equal(256, c.MelBins);
        Assert.Equal(24000, c.SampleRate);
        Assert.Equal(26.56, c.FrameLengthMs);
        Assert.Equal(13.28, c.FrameShiftMs);
        Assert.Equal(-6.12, c.NormalizationMean);
        Assert.Equal(4.82, c.NormalizationStd);
        Assert.Equal(96000, c.ChunkSamples);
        Assert.True(c.PostnormLastActivation);
        Assert.Equal(300, c.FramesPerChunk);
        Assert.Equal(637, c.FbankOptions.WindowSize);
        Assert.Equal(318, c.FbankOptions.WindowShift);
    }

    [SkippableFact]
    public void CheckpointConfigEqualsTheFixtureText()
    {
        string model = Fixture("tiny-mel256", "model.pt");
        var text = EncodecMaeFamily.ConfigText(TorchCheckpoint.Load(model));
        Assert.Equal(File.ReadAllText(Fixture("tiny-mel256", "config.gin")), text);
    }

    [SkippableTheory]
    [InlineData("encoder/transformers.TransformerEncoder.num_layers=", "encoder/TransformerEncoder.num_layers")]
    [InlineData("encoder/MultiHeadAttention.num_heads=", "encoder/MultiHeadAttention.num_heads")]
    [InlineData("MelspectrogramProcessor.norm_stats=", "MelspectrogramProcessor.norm_stats")]
    [InlineData("ReadAudioProcessor.max_length=", "ReadAudioProcessor.max_length")]
    [InlineData("MelspectrogramProcessor.num_mel_bins=", "MelspectrogramProcessor.num_mel_bins")]
    public void MissingRequiredBindingNamesFileAndBinding(string linePrefix, string binding)
    {
        string text = string.Join("\n", File.ReadAllLines(Fixture("tiny-mel256", "config.gin")).Where(l => !l.StartsWith(linePrefix)));
        var ex = Assert.Throws<CheckpointException>(() => EncodecMaeGinConfig.Parse(text, "some/model.pt"));
        Assert.Equal(binding, ex.Key);
        Assert.Equal("some/model.pt", ex.FilePath);
        Assert.Contains("some/model.pt", ex.Message);
    }

    [SkippableFact]
    public void UndefinedMacroAndBadValuesAreNamed()
    {
        string text = File.ReadAllText(Fixture("tiny-mel256", "config.gin"));
        var noMacro = Assert.Throws<CheckpointException>(() => EncodecMaeGinConfig.Parse(text.Replace("MODEL_DIM=32\n", ""), "m.pt"));
        Assert.Equal("%MODEL_DIM", noMacro.Key);
        var badHeads = Assert.Throws<CheckpointException>(() => EncodecMaeGinConfig.Parse(text.Replace("NUM_ENCODER_HEADS=3", "NUM_ENCODER_HEADS=three"), "m.pt"));
        Assert.Equal("encoder/MultiHeadAttention.num_heads", badHeads.Key);
        var encodec = Assert.Throws<CheckpointException>(() => EncodecMaeGinConfig.Parse(text.Replace("WavEncoder.encoder=@torch.nn.Identity", "WavEncoder.encoder=@encodecmae.models.encoders.EncodecEncoder"), "m.pt"));
        Assert.Equal("WavEncoder.encoder", encodec.Key);
        var rate = Assert.Throws<CheckpointException>(() => EncodecMaeGinConfig.Parse(text.Replace("WavEncoder.fs=24000", "WavEncoder.fs=16000"), "m.pt"));
        Assert.Equal("WavEncoder.fs", rate.Key);
    }

    [Fact]
    public void GinGrammar_ScopesFallBackCommentsAndMultiLineLists()
    {
        const string text = """
            # a comment
            DIM = 8  # trailing comment
            TransformerEncoder.num_layers = 3
            other/TransformerEncoder.num_layers = 5
            encoder/transformers.TransformerEncoder.model_dim = %DIM
            MelspectrogramProcessor.norm_stats = [
                -1.5,
                2.0]
            Name.text = 'a # not a comment'
            """;
        var gin = GinBindings.Parse(text, "x.pt");
        Assert.Equal("3", gin.Find("encoder", "TransformerEncoder", "num_layers"));
        Assert.Equal("5", gin.Find("other", "TransformerEncoder", "num_layers"));
        Assert.Equal(8, gin.RequireInt("encoder", "TransformerEncoder", "model_dim"));
        Assert.Null(gin.Find(null, "TransformerEncoder", "model_dim"));
        Assert.Equal(new[] { -1.5, 2.0 }, gin.RequireNumbers(null, "MelspectrogramProcessor", "norm_stats"));
        Assert.Equal("a # not a comment", gin.FindText(null, "Name", "text"));
    }
}
