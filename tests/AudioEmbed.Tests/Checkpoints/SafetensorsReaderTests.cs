using System.Runtime.InteropServices;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>Safetensors: a correct file reads back; every lying header is a CheckpointException with bounded memory.</summary>
public class SafetensorsReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(byte[] bytes)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Data(int bytes) => Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray();

    /// <summary>A file whose header is <paramref name="header"/> (honest length) followed by <paramref name="dataBytes"/> bytes.</summary>
    private string WithHeader(string header, int dataBytes) =>
        Write(SafetensorsWriter.Raw((ulong)System.Text.Encoding.UTF8.GetByteCount(header), header, Data(dataBytes)));

    private CheckpointException Fails(string path, string expected, string? key = null)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<CheckpointException>(() => SafetensorsReader.Open(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"opening a lying file allocated {allocated} bytes");
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(expected, ex.Message);
        if (key != null) Assert.Equal(key, ex.Key);
        return ex;
    }

    [Fact]
    public void WellFormedFileReadsBack()
    {
        var a = new float[] { 1, 2, 3, 4, 5, 6 };
        var ids = new long[] { 0, 1, 2 };
        var data = MemoryMarshal.AsBytes(a.AsSpan()).ToArray().Concat(MemoryMarshal.AsBytes(ids.AsSpan()).ToArray()).ToArray();
        string header = SafetensorsWriter.Header(new[]
        {
            ("a", "F32", new long[] { 2, 3 }, 0L, 24L),
            ("position_ids", "I64", new long[] { 1, 3 }, 24L, 48L),
        }, new Dictionary<string, string> { ["format"] = "pt" });
        string path = _dir.File("ok.safetensors");
        using (var f = new FileStream(path, FileMode.Create))
        {
            SafetensorsWriter.WriteHeader(f, header);
            f.Write(data);
        }
        var st = SafetensorsReader.Open(path);
        Assert.Equal("pt", st.Metadata["format"]);
        Assert.Equal(new long[] { 2, 3 }, st.Tensors["a"].Shape);
        Assert.Equal(a, st.Tensors["a"].ToFloat32());
        Assert.Equal(ids, st.Tensors["position_ids"].ToInt64());
        Assert.Equal(new float[] { 0, 1, 2 }, st.Tensors["position_ids"].ToFloat32());
        Assert.Equal(new[] { "a", "position_ids" }, st.Tensors.Keys);
    }

    [Theory]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 63)]
    [InlineData(1000UL)]
    public void HeaderLengthBeyondTheFile(ulong declared)
    {
        Fails(Write(SafetensorsWriter.Raw(declared, "{}", new byte[16])), "exceeds");
    }

    [Fact]
    public void HeaderLengthOverTheCapIsRefusedWithoutReadingIt()
    {
        // A sparse file larger than the cap: the length is "true" but still refused before any allocation.
        string path = _dir.File("big.safetensors");
        using (var f = new FileStream(path, FileMode.Create))
        {
            var len = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)SafetensorsReader.MaxHeaderBytes + 8);
            f.Write(len);
            f.SetLength(SafetensorsReader.MaxHeaderBytes + 64);
        }
        Fails(path, "limit");
    }

    [Fact]
    public void TooShortFiles()
    {
        Fails(Write(new byte[5]), "too short");
        Fails(Write(SafetensorsWriter.Raw(0, "", Array.Empty<byte>())), "too short");
    }

    [Fact]
    public void OffsetPastTheEnd() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 12), "run past", "w");

    [Fact]
    public void OffsetsThatDoNotFitInt64() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[18446744073709551600,18446744073709551616]}}", 16), "not a non-negative 64-bit integer", "w");

    [Fact]
    public void NegativeOffsets() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-16,0]}}", 16), "non-negative", "w");

    [Fact]
    public void BeginAfterEnd() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[16,0]}}", 16), "begin 16 > end 0", "w");

    [Fact]
    public void ShapeSizeMismatch() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16), "needs 24", "w");

    [Fact]
    public void HugeShapeOverflows() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,16]}}", 16), "overflows", "w");

    [Fact]
    public void HugeShapeWithMatchingHugeOffsetsIsStillBoundByTheFile() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4398046511104]}}", 16), "run past", "w");

    [Fact]
    public void NegativeShape() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", 16), "non-negative", "w");

    [Fact]
    public void OverlappingRanges() =>
        Fails(WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24), "overlap", "b");

    [Fact]
    public void HoleInTheBuffer() =>
        Fails(WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 16), "hole", "a");

    [Fact]
    public void UnindexedTrailingBytes() =>
        Fails(WithHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 16), "cover 8 bytes");

    [Fact]
    public void UnsupportedDtype() =>
        Fails(WithHeader("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4), "unsupported dtype", "w");

    [Fact]
    public void DuplicateKey() =>
        Fails(WithHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", 4), "twice", "a");

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"w\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"w\": 5}")]
    [InlineData("{\"w\": {\"shape\":[1],\"data_offsets\":[0,4]}}")]
    [InlineData("{\"w\": {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}")]
    [InlineData("{\"__metadata__\": {\"format\": 5}}")]
    [InlineData("{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}")]
    public void MalformedHeaders(string header)
    {
        var ex = Assert.Throws<CheckpointException>(() => SafetensorsReader.Open(WithHeader(header, 4)));
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem));
    }
}
