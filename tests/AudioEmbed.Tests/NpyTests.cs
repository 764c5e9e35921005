using System.Buffers.Binary;
using System.Text;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests;

public class NpyTests
{
    [Fact]
    public void WriteThenRead_RoundTripsShapeAndValues()
    {
        var values = new[] { 1f, -2.5f, float.Epsilon, 3.25e10f, 0f, -0f };
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, values, new[] { 2, 3 });
        Assert.Equal(0, (ms.Length - values.Length * 4) % 64); // header padded to a 64-byte boundary
        ms.Position = 0;
        var back = NpyReader.Read(ms, "mem");
        Assert.Equal(new[] { 2, 3 }, back.Shape);
        Assert.Equal("<f4", back.DType);
        Assert.Equal(values, back.ToFloat32());
    }

    [Fact]
    public void Header_IsWhatNumpyWritesForAVector()
    {
        var header = Encoding.ASCII.GetString(NpyWriter.BuildHeader(new[] { 753 }).AsSpan(10));
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (753,), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(0, (header.Length + 10) % 64);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Reads_Version2And3_BigEndianDoubles_FortranOrder(int version)
    {
        string dict = "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 3), }";
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 });
        var len = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)dict.Length + 1); ms.Write(len);
        ms.Write(Encoding.ASCII.GetBytes(dict + "\n"));
        // Fortran order: column-major, so the C-order matrix [[1,2,3],[4,5,6]] is stored 1,4,2,5,3,6.
        foreach (var v in new double[] { 1, 4, 2, 5, 3, 6 }) { var b = new byte[8]; BinaryPrimitives.WriteDoubleBigEndian(b, v); ms.Write(b); }
        ms.Position = 0;
        var a = NpyReader.Read(ms, "mem");
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, a.Values);
    }

    [Fact]
    public void LyingHeader_IsRejectedBeforeAllocating()
    {
        using var ms = new MemoryStream();
        NpyWriter.Write(ms, new float[] { 1, 2 }, new[] { 2 });
        var bytes = ms.ToArray();
        // Rewrite the shape to claim far more data than the file has.
        var header = Encoding.ASCII.GetString(bytes, 10, bytes.Length - 10 - 8).Replace("(2,), ", "(999999999,)");
        var forged = new MemoryStream();
        forged.Write(bytes, 0, 8);
        var lenBytes = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(lenBytes, (ushort)header.Length); forged.Write(lenBytes);
        forged.Write(Encoding.ASCII.GetBytes(header));
        forged.Write(bytes, bytes.Length - 8, 8);
        forged.Position = 0;
        var ex = Assert.Throws<NpyFormatException>(() => NpyReader.Read(forged, "forged.npy"));
        Assert.Contains("forged.npy", ex.Message);
        Assert.Contains("only 8 bytes follow", ex.Message);
    }

    [Fact]
    public void NotNpy_IsAClearError()
    {
        var ex = Assert.Throws<NpyFormatException>(() => NpyReader.Read(new MemoryStream(Encoding.ASCII.GetBytes("hello world, not numpy")), "x.npy"));
        Assert.Contains("magic", ex.Message);
    }

    [SkippableFact]
    public void Reads_SharedFixture_MelFilters()
    {
        var a = SharedData.Npy("fixtures", "musicnn", "mel_filters_16k_512_96.npy");
        Assert.Equal(new[] { 96, 257 }, a.Shape);
        Assert.All(a.Values, v => Assert.True(v >= 0));
    }
}
