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

/// <summary>Archive structures torch does not write but zip tools may: deflated members, lying directory sizes.</summary>
public class TorchArchiveVariantTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DeflatedMembersAreInflated()
    {
        // A user who re-zipped a checkpoint with a normal zip tool gets deflate-compressed members.
        var values = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i)).ToArray();
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 1000, 0, new long[] { 10, 100 }, new long[] { 100, 1 })
            .Str("wt").Tensor("FloatStorage", "0", 1000, 0, new long[] { 100, 10 }, new long[] { 1, 100 })
            .SetItems().Stop().ToArray();
        string path = _dir.File("deflated.pt");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            void Add(string name, byte[] data)
            {
                using var s = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Optimal).Open();
                s.Write(data);
            }
            Add("archive/data.pkl", pickle);
            Add("archive/data/0", MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            Add("archive/version", "3\n"u8.ToArray());
        }
        var sd = TorchCheckpointReader.Load(path).StateDict();
        Assert.Equal(values, sd["w"].ToFloat32());
        var wt = sd["wt"].ToFloat32();
        for (int r = 0; r < 100; r++) for (int c = 0; c < 10; c++) Assert.Equal(values[c * 100 + r], wt[r * 10 + c]);

        // The same archive with the storage's uncompressed size inflated to 2 GB in the central
        // directory: refused before anything is sized from it.
        var bytes = File.ReadAllBytes(path);
        int cd = bytes.AsSpan().IndexOf("PK\u0001\u0002"u8.ToArray());
        int storageCd = bytes.AsSpan(cd).IndexOf("archive/data/0"u8.ToArray().AsSpan()) + cd - 46;
        Assert.Equal(8, BitConverter.ToUInt16(bytes, storageCd + 10)); // really deflated
        BitConverter.GetBytes(0x7FFFFFF0u).CopyTo(bytes, storageCd + 24);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("more than deflate can produce", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path)).Message);
    }

    [Fact]
    public void CentralDirectorySizeLargerThanTheArchiveIsRejected()
    {
        string path = _dir.File("lying.pt");
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 }).SetItems().Stop().ToArray();
        TorchZipWriter.WriteArchive(path, pickle, new[] { ("0", new byte[16]) });
        var bytes = File.ReadAllBytes(path);
        // The storage member's central-directory sizes claim 4 GB: the data would run past the archive.
        int cd = bytes.AsSpan().IndexOf("PK\u0001\u0002"u8.ToArray());
        int entry = bytes.AsSpan().IndexOf("archive/data/0"u8.ToArray().AsSpan());
        int storageCd = bytes.AsSpan(cd).IndexOf("archive/data/0"u8.ToArray().AsSpan()) + cd - 46;
        Assert.True(entry > 0 && storageCd > cd);
        BitConverter.GetBytes(0xFFFFFFF0u).CopyTo(bytes, storageCd + 20);
        BitConverter.GetBytes(0xFFFFFFF0u).CopyTo(bytes, storageCd + 24);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("runs past the archive", Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path)).Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)'X', 0xFF, 0xFF, 0xFF, 0xFF, (byte)'.' }, "runs past the end")]              // BINUNICODE 4 GB
    [InlineData(new byte[] { 0x80, 4, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40, (byte)'.' }, "runs past the end")]                 // BINBYTES8 2^62
    [InlineData(new byte[] { 0x80, 2, 0x8b, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'.' }, "runs past the end")]                   // LONG4 2 GB
    [InlineData(new byte[] { 0x80, 2, 0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, (byte)'.' }, "too large")]                     // 9-byte int
    [InlineData(new byte[] { 0x80, 4, 0x95, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'N', (byte)'.' }, "FRAME")]
    [InlineData(new byte[] { 0x80, 2, (byte)'j', 0xFF, 0xFF, 0xFF, 0xFF, (byte)'.' }, "memo entry")]                     // LONG_BINGET undefined
    [InlineData(new byte[] { 0x80, 2, (byte)'s', (byte)'.' }, "stack underflow")]
    [InlineData(new byte[] { 0x80, 2, (byte)'u', (byte)'.' }, "no MARK")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N' }, "without STOP")]
    [InlineData(new byte[] { 0x80, 2, (byte)'N', (byte)']', (byte)'N', (byte)'s', (byte)'.' }, "not a dict")]
    [InlineData(new byte[] { 0x80, 9, (byte)'N', (byte)'.' }, "protocol 9")]
    [InlineData(new byte[] { 0x80, 2, 0xFE, (byte)'.' }, "unsupported pickle opcode 0xfe")]
    [InlineData(new byte[] { 0x80, 2, 0x8c, 2, 0xC3, 0x28, (byte)'.' }, "UTF-8")]
    public void LyingOrBrokenPicklesFailWithoutLargeAllocations(byte[] pickle, string expected)
    {
        string path = _dir.File("bad.pt");
        TorchZipWriter.WriteArchive(path, pickle, Array.Empty<(string, byte[])>());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.Contains(expected, ex.Message);
        Assert.Equal("archive/data.pkl", ex.Key);
    }
}
