using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Store;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Int8;

/// <summary>
/// ModelStore.WithPrecision: the Int8 copy is written beside model.onnx with its hash, leftovers of a killed write are
/// removed, a second call reuses the copy; Int8 is refused for an architecture it is not offered for (a custom
/// checkpoint on MERT-v1-95M) and made for one it is (MERT-v1-330M).
/// </summary>
public class Int8ModelStoreTests
{
    [SkippableFact]
    public void Int8Copy_IsMadeOnce_BesideTheFloat32Model()
    {
        var checkpoint = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        var store = new ModelStore(TestStore.TempDir("store"), TestStore.Catalog);
        var installed = store.Install(new InstallRequest("EnCodecMAE") { Variant = "mel256-ec-base_st", SourcePath = checkpoint, CustomName = "tiny" }, null, CancellationToken.None);
        var leftover = Path.Combine(installed.Directory, InstalledModel.Int8OnnxFileName + ".tmp-deadbeef");
        File.WriteAllText(leftover, "half-written");

        var int8 = store.WithPrecision(installed, Precision.Int8, null, CancellationToken.None);

        Assert.Equal(Precision.Int8, int8.Precision);
        Assert.Equal(Path.Combine(installed.Directory, InstalledModel.Int8OnnxFileName), int8.OnnxPath);
        Assert.True(File.Exists(installed.OnnxPath));
        Assert.False(File.Exists(leftover));
        Assert.Equal(FileHash.Sha256(int8.OnnxPath), int8.OnnxSha256);
        Assert.NotEqual(installed.OnnxSha256, int8.OnnxSha256);
        // The encoder weights shrink 4×; the tiny model's float post-net and positional table keep the rest.
        Assert.True(new FileInfo(int8.OnnxPath).Length < new FileInfo(installed.OnnxPath).Length, "the int8 copy is smaller than the float32 model");

        var written = File.GetLastWriteTimeUtc(int8.OnnxPath);
        var again = store.WithPrecision(installed, Precision.Int8, null, CancellationToken.None);
        Assert.Equal(int8.OnnxSha256, again.OnnxSha256);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again.OnnxPath));
        Assert.Same(installed, store.WithPrecision(installed, Precision.Float32, null, CancellationToken.None));
    }

    [SkippableFact]
    public void Mert_Int8_FollowsTheBaseArchitecture()
    {
        var store = new ModelStore(TestStore.TempDir("store"), TestStore.Catalog);
        var small = store.Install(new InstallRequest("Mert") { Variant = "MERT-v1-95M", SourcePath = SharedData.Require("fixtures", "mert", "tiny-95m-style"), CustomName = "tiny95" }, null, CancellationToken.None);
        var e = Assert.Throws<NotSupportedException>(() => store.WithPrecision(small, Precision.Int8, null, CancellationToken.None));
        Assert.Contains("Mert MERT-v1-95M has no Int8 precision", e.Message);
        Assert.False(File.Exists(Path.Combine(small.Directory, InstalledModel.Int8OnnxFileName)));

        var large = store.Install(new InstallRequest("Mert") { Variant = "MERT-v1-330M", SourcePath = SharedData.Require("fixtures", "mert", "tiny-330m-style"), CustomName = "tiny330" }, null, CancellationToken.None);
        var int8 = store.WithPrecision(large, Precision.Int8, null, CancellationToken.None);
        Assert.True(File.Exists(int8.OnnxPath));
        Assert.Equal(FileHash.Sha256(int8.OnnxPath), int8.OnnxSha256);
    }
}
