namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>Graph input and output names of the converted MusiCNN models (musicnn and vgg) the extractor relies on.</summary>
internal static class MusicnnLayers
{
    /// <summary>The input: a batch of 187 × 96 log-mel patches.</summary>
    public const string Patches = "patches";

    /// <summary>The 50 tag likelihoods per patch (both architectures).</summary>
    public const string Taggram = "taggram";

    /// <summary>The tags of the taggram, in the order of its 50 values.</summary>
    public const int TagCount = 50;
}
