using System.Runtime.InteropServices;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>Tensors as torch saves views: offsets into a shared storage, non-contiguous strides, other dtypes.</summary>
public class TorchTensorViewTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Floats(int n) => MemoryMarshal.AsBytes(Enumerable.Range(0, n).Select(i => (float)i).ToArray().AsSpan()).ToArray();

    private string Archive(byte[] pickle, params (string, byte[])[] storages)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".pt");
        TorchZipWriter.WriteArchive(path, pickle, storages);
        return path;
    }

    [Fact]
    public void ViewsOfOneStorageAreGatheredCorrectly()
    {
        // Storage "0" holds 0..23. "whole" is [4, 6]; "transposed" is its .t() (stride (1, 6));
        // "row2" is whole[2] (offset 12); "col" is whole[:, 3] (offset 3, stride 6); "sliced" is
        // whole[1:3, ::2] (offset 6, size [2, 3], stride [6, 2]).
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("whole").Tensor("FloatStorage", "0", 24, 0, new long[] { 4, 6 }, new long[] { 6, 1 })
            .Str("transposed").Tensor("FloatStorage", "0", 24, 0, new long[] { 6, 4 }, new long[] { 1, 6 })
            .Str("row2").Tensor("FloatStorage", "0", 24, 12, new long[] { 6 }, new long[] { 1 })
            .Str("col").Tensor("FloatStorage", "0", 24, 3, new long[] { 4 }, new long[] { 6 })
            .Str("sliced").Tensor("FloatStorage", "0", 24, 6, new long[] { 2, 3 }, new long[] { 6, 2 })
            .Str("expanded").Tensor("FloatStorage", "0", 24, 5, new long[] { 2, 3 }, new long[] { 0, 1 })
            .SetItems().Stop().ToArray();
        var sd = TorchCheckpoint.Load(Archive(pickle, ("0", Floats(24)))).StateDict();

        Assert.True(sd["whole"].IsContiguous);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), sd["whole"].ToFloat32());
        Assert.False(sd["transposed"].IsContiguous);
        var expectedT = new float[24];
        for (int r = 0; r < 6; r++) for (int c = 0; c < 4; c++) expectedT[r * 4 + c] = c * 6 + r;
        Assert.Equal(expectedT, sd["transposed"].ToFloat32());
        Assert.Equal(new float[] { 12, 13, 14, 15, 16, 17 }, sd["row2"].ToFloat32());
        Assert.Equal(new float[] { 3, 9, 15, 21 }, sd["col"].ToFloat32());
        Assert.Equal(new float[] { 6, 8, 10, 12, 14, 16 }, sd["sliced"].ToFloat32());
        Assert.Equal(new float[] { 5, 6, 7, 5, 6, 7 }, sd["expanded"].ToFloat32());
        Assert.Single(sd.Values.Select(t => t.StorageId).Distinct());
    }

    [Fact]
    public void IntegerHalfAndBFloat16StoragesConvert()
    {
        var longs = MemoryMarshal.AsBytes(new long[] { 0, 1, 2, -3, 1L << 40 }.AsSpan()).ToArray();
        var halves = MemoryMarshal.AsBytes(new[] { (Half)1.5f, (Half)(-2f), (Half)0.099975586f }.AsSpan()).ToArray();
        // bfloat16 = the upper 16 bits of float32: 1.0 = 0x3F80, -0.5 = 0xBF00, 3.140625 = 0x4049
        var bf16 = MemoryMarshal.AsBytes(new ushort[] { 0x3F80, 0xBF00, 0x4049 }.AsSpan()).ToArray();
        var doubles = MemoryMarshal.AsBytes(new[] { 0.25, -1e300 }.AsSpan()).ToArray();
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("position_ids").Tensor("LongStorage", "ids", 5, 0, new long[] { 1, 5 }, new long[] { 5, 1 })
            .Str("h").Tensor("HalfStorage", "h", 3, 0, new long[] { 3 }, new long[] { 1 })
            .Str("b").Tensor("BFloat16Storage", "b", 3, 0, new long[] { 3 }, new long[] { 1 })
            .Str("d").Tensor("DoubleStorage", "d", 2, 0, new long[] { 2 }, new long[] { 1 })
            .SetItems().Stop().ToArray();
        var sd = TorchCheckpoint.Load(Archive(pickle, ("ids", longs), ("h", halves), ("b", bf16), ("d", doubles))).StateDict();

        Assert.Equal("I64", sd["position_ids"].DType);
        Assert.Equal(new long[] { 0, 1, 2, -3, 1L << 40 }, sd["position_ids"].ToInt64());
        Assert.Equal(new float[] { 0, 1, 2, -3, 1L << 40 }, sd["position_ids"].ToFloat32());
        Assert.Equal(new[] { 1.5f, -2f, 0.099975586f }, sd["h"].ToFloat32());
        Assert.Equal(new[] { 1f, -0.5f, 3.140625f }, sd["b"].ToFloat32());
        Assert.Equal(new[] { 0.25f, float.NegativeInfinity }, sd["d"].ToFloat32());
        Assert.Throws<CheckpointException>(() => sd["h"].ToInt64());
    }

    [Theory]
    [InlineData(0, new long[] { 5, 5 }, new long[] { 5, 1 })]   // 25 elements from a 24-element storage
    [InlineData(20, new long[] { 5 }, new long[] { 1 })]         // offset + size past the end
    [InlineData(0, new long[] { 4, 6 }, new long[] { 1, 5 })]    // a stride that reaches element 3 + 25 = 28
    [InlineData(25, new long[] { 0 }, new long[] { 1 })]         // offset past the end even for an empty view
    [InlineData(0, new long[] { 2, 3 }, new long[] { 1 })]       // size/stride rank mismatch
    [InlineData(0, new long[] { 1L << 62, 4 }, new long[] { 4, 1 })] // element count overflow
    public void ViewsOutsideTheirStorageAreRejectedAtLoad(long offset, long[] size, long[] stride)
    {
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 24, offset, size, stride).SetItems().Stop().ToArray();
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(Archive(pickle, ("0", Floats(24)))));
        Assert.Equal("0", ex.Key);
    }

    [Fact]
    public void StorageRecordOfTheWrongSizeIsRejected()
    {
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("w").Tensor("FloatStorage", "0", 24, 0, new long[] { 24 }, new long[] { 1 }).SetItems().Stop().ToArray();
        var ex = Assert.Throws<CheckpointException>(() => TorchCheckpoint.Load(Archive(pickle, ("0", Floats(23)))));
        Assert.Contains("needs 96", ex.Message);
    }
}

/// <summary>How StateDict finds the tensors in differently shaped checkpoints.</summary>
public class TorchStateDictLookupTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TorchCheckpoint Load(PickleBuilder p)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".pt");
        TorchZipWriter.WriteArchive(path, p.Stop().ToArray(), new[] { ("0", new byte[16]) });
        return TorchCheckpoint.Load(path);
    }

    [Fact]
    public void FindsTheTensorsUnderModel()
    {
        var ckpt = Load(new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("epoch").Int(3)
            .Str("model").EmptyDict().Str("w").Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 }).SetItem()
            .SetItems());
        var sd = ckpt.StateDict();
        Assert.Equal("w", Assert.Single(sd).Key);
        Assert.Equal("w", sd["w"].Name);
    }

    [Fact]
    public void NonStringKeysBecomeTheirText()
    {
        // e.g. optimizer state {0: {...}} in a training checkpoint must not stop the load.
        var ckpt = Load(new PickleBuilder().Proto(2).EmptyDict().Mark().Int(0).Str("a").Int(-7).Str("b").None().Str("c").SetItems());
        var root = Assert.IsType<Dictionary<string, object?>>(ckpt.Root);
        Assert.Equal(new[] { "0", "-7", "None" }, root.Keys);
    }

    [Fact]
    public void NoTensorDictIsAClearError()
    {
        var ckpt = Load(new PickleBuilder().Proto(2).EmptyList());
        Assert.Contains("no dict of tensors", Assert.Throws<CheckpointException>(() => ckpt.StateDict()).Message);
        ckpt = Load(new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("state_dict").EmptyDict().Str("w").Tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 }).SetItem()
            .Str("x").Int(1).SetItem().SetItems());
        var ex = Assert.Throws<CheckpointException>(() => ckpt.StateDict());
        Assert.Equal("state_dict", ex.Key);
        Assert.Contains("'x' is a int, not a tensor", ex.Message);
    }
}
