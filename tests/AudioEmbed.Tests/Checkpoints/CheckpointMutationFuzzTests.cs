using System.Diagnostics;
using System.IO.Compression;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>
/// Deterministic mutation fuzz (fixed seeds and iteration counts, about 2 s in all): mutated
/// checkpoints must either load or fail with a CheckpointException — never another exception,
/// never a hang (each run is bounded by a timeout).
/// </summary>
public class CheckpointMutationFuzzTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Mutate(Random rng, byte[] original, int regionStart, int regionLength)
    {
        var bytes = (byte[])original.Clone();
        switch (rng.Next(4))
        {
            case 0: // a few random bytes
                for (int k = rng.Next(1, 9); k > 0; k--) bytes[regionStart + rng.Next(regionLength)] = (byte)rng.Next(256);
                break;
            case 1: // bit flips
                for (int k = rng.Next(1, 5); k > 0; k--) bytes[regionStart + rng.Next(regionLength)] ^= (byte)(1 << rng.Next(8));
                break;
            case 2: // interesting values (0, 0xFF runs) that make lengths and counts extreme
            {
                int at = regionStart + rng.Next(regionLength);
                byte fill = rng.Next(2) == 0 ? (byte)0xFF : (byte)0;
                int run = rng.Next(1, 9);
                for (int k = 0; k < run && at + k < bytes.Length; k++) bytes[at + k] = fill;
                break;
            }
            default: // truncation
                return bytes.AsSpan(0, regionStart + rng.Next(regionLength)).ToArray();
        }
        return bytes;
    }

    /// <summary>Loads and reads every value; returns normally or throws CheckpointException only.</summary>
    private static void Exercise(Func<IReadOnlyDictionary<string, TensorData>> open)
    {
        try
        {
            foreach (var t in open().Values)
                if (t.ElementCount < 1 << 22) t.ToFloat32();
        }
        catch (CheckpointException) { }
    }

    private static void RunBounded(string what, int seed, int iteration, Action action)
    {
        var task = Task.Run(action);
        try
        {
            if (!task.Wait(TimeSpan.FromSeconds(20)))
                Assert.Fail($"{what} seed {seed} iteration {iteration}: no result after 20 s (hang?)");
        }
        catch (AggregateException ex)
        {
            Assert.Fail($"{what} seed {seed} iteration {iteration}: {ex.InnerException}");
        }
    }

    private static IReadOnlyDictionary<string, TensorData> TorchTensors(string path)
    {
        var ckpt = TorchCheckpoint.Load(path);
        try { return ckpt.StateDict(); }
        catch (CheckpointException) { return new Dictionary<string, TensorData>(); }
    }

    [SkippableFact]
    public void MutatedModelPtFailsCleanly()
    {
        var original = File.ReadAllBytes(SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt"));
        string path = _dir.File("fuzz.pt");
        const int seed = 20261123;
        var rng = new Random(seed);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 300; i++)
        {
            // Half the mutations hit the zip structure at the end (central directory), half anywhere.
            int tail = Math.Min(original.Length, 4096);
            var bytes = i % 2 == 0 ? Mutate(rng, original, original.Length - tail, tail) : Mutate(rng, original, 0, original.Length);
            File.WriteAllBytes(path, bytes);
            RunBounded("model.pt", seed, i, () => Exercise(() => TorchTensors(path)));
        }
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60));
    }

    [SkippableFact]
    public void MutatedPickleInAValidArchiveFailsCleanly()
    {
        // Re-archive with correct CRCs so the mutations reach the unpickler instead of the CRC check.
        string source = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        byte[] pickle;
        var storages = new List<(string, byte[])>();
        using (var zip = ZipFile.OpenRead(source))
        {
            pickle = ReadEntry(zip.GetEntry("model/data.pkl")!);
            foreach (var e in zip.Entries.Where(e => e.FullName.StartsWith("model/data/", StringComparison.Ordinal)))
                storages.Add((e.FullName["model/data/".Length..], ReadEntry(e)));
        }
        string path = _dir.File("pickle-fuzz.pt");
        const int seed = 7;
        var rng = new Random(seed);
        int loaded = 0;
        for (int i = 0; i < 300; i++)
        {
            var mutated = Mutate(rng, pickle, 5200, pickle.Length - 5200); // past the config strings: the tensor records
            TorchZipWriter.WriteArchive(path, mutated, storages, top: "model");
            RunBounded("data.pkl", seed, i, () =>
            {
                try
                {
                    TorchTensors(path);
                    Interlocked.Increment(ref loaded);
                }
                catch (CheckpointException) { }
            });
            RunBounded("data.pkl values", seed, i, () => Exercise(() => TorchTensors(path)));
        }
        Assert.InRange(loaded, 1, 299); // both outcomes occur, so the mutations are meaningful
    }

    [Fact]
    public void MutatedSafetensorsFailsCleanly()
    {
        var tensors = Enumerable.Range(0, 12).Select(i => new SyntheticTensor($"layer.{i}.weight", i % 3 == 0 ? new long[] { 3, i + 1 } : new long[] { i + 2 })).ToList();
        string clean = _dir.File("clean.safetensors");
        SafetensorsWriter.WriteSparse(clean, tensors);
        var original = File.ReadAllBytes(clean);
        int headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
        string path = _dir.File("fuzz.safetensors");
        const int seed = 99;
        var rng = new Random(seed);
        for (int i = 0; i < 600; i++)
        {
            var bytes = i % 4 == 3 ? Mutate(rng, original, 0, original.Length) : Mutate(rng, original, 0, headerEnd);
            File.WriteAllBytes(path, bytes);
            RunBounded("safetensors", seed, i, () => Exercise(() => SafetensorsReader.Open(path).Tensors));
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
