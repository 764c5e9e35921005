using System.Runtime.InteropServices;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>Broken torch archives: truncation, missing records, legacy format, garbage.</summary>
public class TorchCorruptArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] ValidPickle() => new PickleBuilder().Proto(2).EmptyDict().Mark()
        .Str("w").Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 }).SetItems().Stop().ToArray();

    private static byte[] FourFloats() => MemoryMarshal.AsBytes(new float[] { 1, 2, 3, 4 }.AsSpan()).ToArray();

    [SkippableFact]
    public void TruncatedModelIsAClearError()
    {
        var bytes = File.ReadAllBytes(SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt"));
        string path = _dir.File("cut.pt");
        foreach (int keep in new[] { 0, 3, 4, 100, bytes.Length / 2, bytes.Length - 23, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes.AsSpan(0, keep).ToArray());
            var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path));
            Assert.Equal(path, ex.FilePath);
        }
    }

    [Fact]
    public void MissingDataPklIsAClearError()
    {
        string path = _dir.File("nopkl.pt");
        using (var zip = new TorchZipWriter(path))
        {
            zip.Add("archive/data/0", FourFloats());
            zip.Add("archive/version", "3\n"u8.ToArray());
        }
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path));
        Assert.Contains("data.pkl", ex.Message);
    }

    [Fact]
    public void MissingStorageRecordIsAClearError()
    {
        string path = _dir.File("nostorage.pt");
        TorchZipWriter.WriteArchive(path, ValidPickle(), Array.Empty<(string, byte[])>());
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path));
        Assert.Contains("'archive/data/0' is missing", ex.Message);
        Assert.Equal("0", ex.Key);
    }

    [Fact]
    public void CorruptPickleFailsItsCrc()
    {
        string path = _dir.File("crc.pt");
        TorchZipWriter.WriteArchive(path, ValidPickle(), new[] { ("0", FourFloats()) });
        var bytes = File.ReadAllBytes(path);
        int at = bytes.AsSpan().IndexOf("storage"u8);
        bytes[at] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("CRC", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path)).Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValidArchiveWithAnyTopFolderLoads(bool zip64)
    {
        string path = _dir.File("ok.pt");
        TorchZipWriter.WriteArchive(path, ValidPickle(), new[] { ("0", FourFloats()) }, top: "some_model_name", zip64: zip64);
        var ckpt = TorchCheckpoint.Load(path);
        Assert.Equal("some_model_name", ckpt.ArchiveName);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, ckpt.StateDict()["w"].ToFloat32());
    }

    [Fact]
    public void LegacyFormatIsRefusedWithAHint()
    {
        // Legacy torch.save starts with a protocol-2 pickle of a magic number.
        string path = _dir.File("legacy.pt");
        File.WriteAllBytes(path, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e });
        Assert.Contains("legacy torch format not supported; re-save with torch>=1.6", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path)).Message);
    }

    [Fact]
    public void NonZipAndMissingFilesAreClearErrors()
    {
        string path = _dir.File("junk.pt");
        File.WriteAllText(path, "hello world, not a checkpoint");
        Assert.Contains("not a torch zip checkpoint", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path)).Message);
        Assert.Contains("does not exist", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(_dir.File("absent.pt"))).Message);
    }

    [Fact]
    public void FileTruncatedAfterLoadingFailsWhenValuesAreRead()
    {
        string path = _dir.File("shrunk.pt");
        TorchZipWriter.WriteArchive(path, ValidPickle(), new[] { ("0", FourFloats()) });
        var tensor = TorchCheckpoint.Load(path).StateDict()["w"];
        File.WriteAllBytes(path, File.ReadAllBytes(path).AsSpan(0, 200).ToArray());
        var ex = Assert.Throws<CheckpointException>(() => tensor.ToFloat32());
        Assert.Equal(path, ex.FilePath);
    }
}
