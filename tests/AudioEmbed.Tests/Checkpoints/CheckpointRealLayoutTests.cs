using System.Diagnostics;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>
/// Full-size checkpoints with the exact key/shape lists of the real MERT 95M and 330M models,
/// synthesised as SPARSE files (zeros are holes; each tensor carries a marker at its first and last
/// element), so the real 377 MB / 1.26 GB layouts are exercised without writing them to disk.
/// Reading checks every key, shape and dtype; the values (both markers, zeros elsewhere) are read
/// and checked for every tensor up to 1M elements and every 8th larger one, to bound the test time.
/// </summary>
public class CheckpointRealLayoutTests : IDisposable
{
    private const long FullCheckLimit = 1L << 20;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static List<SyntheticTensor> Layout(string file, int expectedCount, long expectedElements)
    {
        var tensors = SyntheticTensor.FromStateDictJson(SharedData.Require("fixtures", "mert", file), "state_dict");
        Assert.Equal(expectedCount, tensors.Count);
        Assert.Equal(expectedElements, tensors.Sum(t => t.Count)); // totals stated in the MERT README
        return tensors;
    }

    private static void CheckTensors(IReadOnlyList<SyntheticTensor> expected, IReadOnlyDictionary<string, TensorData> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var t = actual[e.Name];
            Assert.Equal(e.Name, t.Name);
            Assert.Equal(e.Shape, t.Shape);
            Assert.Equal("F32", t.DType);
            Assert.Equal(e.Count, t.ElementCount);
            if (e.Count > FullCheckLimit && i % 8 != 0) continue; // the biggest ones: a sample, to bound the test time
            var v = t.ToFloat32();
            Assert.Equal(SyntheticTensor.FirstMarker(i), v[0]);
            if (v.Length > 1) Assert.Equal(SyntheticTensor.LastMarker(i), v[^1]);
            for (int k = 1; k < v.Length - 1; k++)
                if (v[k] != 0) Assert.Fail($"{e.Name}[{k}] = {v[k]}, expected 0");
        }
    }

    [SkippableTheory]
    [InlineData("real_95M_state_dict.json", 211, 94_371_712L)]
    [InlineData("real_330M_state_dict.json", 403, 315_428_992L)]
    public void SafetensorsWithTheRealLayoutReadsBack(string file, int count, long elements)
    {
        var tensors = Layout(file, count, elements);
        string path = _dir.File("model.safetensors");
        SafetensorsWriter.WriteSparse(path, tensors);
        Assert.Equal(elements * 4, new FileInfo(path).Length - 8 - HeaderLength(path));

        var sw = Stopwatch.StartNew();
        var st = SafetensorsReader.Open(path);
        Assert.True(sw.ElapsedMilliseconds < 2000, $"opening took {sw.ElapsedMilliseconds} ms (only the header should be read)");
        Assert.Equal(tensors.Select(t => t.Name), st.Tensors.Keys);
        CheckTensors(tensors, st.Tensors);
    }

    [SkippableTheory]
    [InlineData("real_95M_state_dict.json", 211, 94_371_712L, false)]
    [InlineData("real_330M_state_dict.json", 403, 315_428_992L, true)]
    public void TorchZipWithTheRealLayoutReadsBack(string file, int count, long elements, bool zip64)
    {
        var tensors = Layout(file, count, elements);
        string path = _dir.File("pytorch_model.bin");
        using (var zip = new TorchZipWriter(path, zip64)) // zip64: every size/offset through the ZIP64 records
        {
            zip.Add("pytorch_model/data.pkl", PickleBuilder.StateDict(tensors));
            for (int i = 0; i < tensors.Count; i++)
            {
                int index = i;
                long n = tensors[i].Count;
                zip.Add($"pytorch_model/data/{i}", n * 4, SparseTensorData.Crc(i, n), (f, start) => SparseTensorData.WriteMarkers(f, start, index, n));
            }
            zip.Add("pytorch_model/version", "3\n"u8.ToArray());
        }
        var ckpt = TorchCheckpoint.Load(path);
        var sd = ckpt.StateDict();
        Assert.Equal(tensors.Select(t => t.Name), sd.Keys);
        CheckTensors(tensors, sd);
    }

    [Fact]
    public void CrcOfSparseContentMatchesAByteByByteCrc()
    {
        // The test writer's zero-run CRC shortcut against the plain definition.
        for (int i = 0; i < 3; i++)
        {
            long n = 1000 + i * 37;
            var bytes = new byte[n * 4];
            BitConverter.GetBytes(SyntheticTensor.FirstMarker(i)).CopyTo(bytes, 0);
            BitConverter.GetBytes(SyntheticTensor.LastMarker(i)).CopyTo(bytes, bytes.Length - 4);
            Assert.Equal(TestCrc32.Compute(bytes), SparseTensorData.Crc(i, n));
        }
        Assert.Equal(0xCBF43926u, TestCrc32.Compute("123456789"u8)); // the CRC-32 check value
    }

    private static long HeaderLength(string path)
    {
        using var f = File.OpenRead(path);
        var b = new byte[8];
        f.ReadExactly(b);
        return (long)BitConverter.ToUInt64(b);
    }
}
