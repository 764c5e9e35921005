using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Models.MusiCNN;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AudioEmbed.Tests.MusiCNN;

/// <summary>
/// The converted graphs, fed the reference patches.npy, against the reference model outputs of
/// ../shared/fixtures/musicnn (independent float64 forward pass). Tolerances from that README:
/// taggram 1e-4 abs, logits 1e-3, pooled/penultimate/frame-level features 1e-3 abs.
/// </summary>
public class MusicnnGraphTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var song in new[] { "TRWJAZW128F42760DD_test", "joram-moments_of_clarity-08-solipsism-59-88" })
            foreach (var variant in new[] { "MTT_musicnn", "MSD_musicnn", "MTT_vgg", "MSD_vgg" })
                data.Add(variant, song);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void ConvertedModel_MatchesReferenceOutputs(string variant, string song)
    {
        var outputs = Run(variant, song);
        string refDir = Path.Combine("fixtures", "musicnn", song, "reference_" + variant);
        Compare(outputs, "taggram", refDir, 1e-4);
        Compare(outputs, "logits", refDir, 1e-3);
        if (variant.EndsWith("musicnn"))
        {
            Compare(outputs, "mean_pool", refDir, 1e-3);
            Compare(outputs, "max_pool", refDir, 1e-3);
            Compare(outputs, "penultimate", refDir, 1e-3);
        }
    }

    [SkippableTheory]
    [InlineData("TRWJAZW128F42760DD_test")]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88")]
    public void FrameLevelFeaturesOfFirstPatch_MatchReference(string song)
    {
        var outputs = Run("MTT_musicnn", song);
        string refDir = Path.Combine("fixtures", "musicnn", song, "reference_MTT_musicnn");
        foreach (var name in new[] { "timbral", "temporal", "cnn1", "cnn2", "cnn3" })
        {
            var expected = SharedData.Npy(Path.Combine(refDir, $"patch0_{name}.npy")).ToFloat32();
            Tolerance.AllClose(expected, outputs[name].AsSpan(0, expected.Length), 1e-3, 0, name);
        }
        var vgg = Run("MTT_vgg", song);
        string vggDir = Path.Combine("fixtures", "musicnn", song, "reference_MTT_vgg");
        foreach (var name in new[] { "pool4", "pool5" })
        {
            var expected = SharedData.Npy(Path.Combine(vggDir, $"patch0_{name}.npy")).ToFloat32();
            Tolerance.AllClose(expected, vgg[name].AsSpan(0, expected.Length), 1e-3, 0, name);
        }
    }

    [SkippableFact]
    public void WrongCheckpoint_IsRejectedWithTheLayerNamed()
    {
        // A VGG file is not a musicnn file: the converter must say which layer it could not find.
        using var ck = KerasH5Checkpoint.Open(SharedData.Require("models", "musicnn", "MTT_vgg.h5"));
        var ex = Assert.Throws<CheckpointException>(() => MusicnnGraph.Build(ck));
        Assert.Contains("batch_normalization", ex.Message);
        Assert.Contains("MTT_vgg.h5", ex.Message);
    }

    [Fact]
    public void NotHdf5_IsRejected()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ae-not-h5-{Guid.NewGuid():N}.h5");
        File.WriteAllText(path, "this is not an HDF5 file at all");
        try
        {
            var ex = Assert.Throws<CheckpointException>(() => KerasH5Checkpoint.Open(path));
            Assert.Contains("not an HDF5 file", ex.Message);
        }
        finally { File.Delete(path); }
    }

    internal static Dictionary<string, float[]> Run(string variant, string song)
    {
        var patches = SharedData.Npy("fixtures", "musicnn", song, "patches.npy");
        using var ck = KerasH5Checkpoint.Open(SharedData.Require("models", "musicnn", variant + ".h5"));
        var graph = variant.EndsWith("vgg") ? VggGraph.Build(ck) : MusicnnGraph.Build(ck);
        using var session = new InferenceSession(graph.ToBytes());
        var input = new DenseTensor<float>(patches.ToFloat32(), new[] { patches.Shape[0], 187, 96 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("patches", input) });
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private static void Compare(Dictionary<string, float[]> outputs, string name, string refDir, double tol)
    {
        var expected = SharedData.Npy(Path.Combine(refDir, name + ".npy")).ToFloat32();
        Tolerance.AllClose(expected, outputs[name], tol, 0, name);
    }
}
