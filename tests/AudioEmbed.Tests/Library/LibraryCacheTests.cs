using AudioEmbed.Core.Library;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Library;

/// <summary>The exact search and its cached, memory-mapped matrix: right answers, incremental rebuilds, never a stale row.</summary>
public class LibraryCacheTests
{
    private static ConfigurationResolver.Resolved Mert() => ConfigurationResolver.Resolve(TestStore.Catalog, null, "Mert", null, null);

    private static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static void WriteNpy(string path, float[] v, int[]? shape = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var s = File.Create(path);
        NpyWriter.Write(s, v, shape ?? new[] { v.Length });
    }

    [Fact]
    public void ExactSearch_EqualsBruteForce_WithExclusionsAndTies()
    {
        var dir = TestStore.TempDir("matrix");
        var rng = new Random(3);
        int rows = 5000, dim = 64;
        var data = Enumerable.Range(0, rows).Select(_ => VectorMath.Normalized(Random(rng, dim))).ToArray();
        data[4321] = data[17]; // a tie: the lower row comes first
        var path = Path.Combine(dir, "m.f32");
        File.WriteAllBytes(path, data.SelectMany(r => r.SelectMany(BitConverter.GetBytes)).ToArray());
        using var matrix = new MappedMatrix(path, rows, dim);
        var query = data[17];
        var excluded = new HashSet<int> { 17 };
        var brute = Enumerable.Range(0, rows).Where(r => !excluded.Contains(r))
            .Select(r => (Row: r, Score: (float)Similarity.Cosine(data[r], query))).OrderByDescending(p => p.Score).ThenBy(p => p.Row).Take(10).ToArray();
        foreach (var parallel in new[] { 1, 2, 7 })
        {
            var hits = ExactSearch.Top(matrix, query, 10, excluded, parallel);
            Assert.Equal(brute.Select(b => b.Row), hits.Select(h => h.Row));
            for (int i = 0; i < hits.Length; i++) Assert.Equal(brute[i].Score, hits[i].Score, 1e-5f);
        }
        Assert.Equal(4321, ExactSearch.Top(matrix, query, 1, excluded)[0].Row);
        Assert.Throws<ArgumentException>(() => ExactSearch.Top(matrix, new float[dim + 1], 3));
    }

    [Fact]
    public void Cache_IsReused_UpdatedIncrementally_AndNeverTrustedWhenStale()
    {
        var output = TestStore.TempDir("lib");
        var modelDir = Path.Combine(output, "mert");
        var rng = new Random(5);
        var vectors = new Dictionary<string, float[]>();
        for (int i = 0; i < 6; i++) { vectors[$"s{i}"] = Random(rng, 768); WriteNpy(Path.Combine(modelDir, $"s{i}.npy"), vectors[$"s{i}"]); }

        void AssertRowsMatchFiles(EmbeddingLibrary lib)
        {
            Assert.Equal(vectors.Keys.Order(StringComparer.Ordinal), lib.Entries.Select(e => e.Song));
            for (int i = 0; i < lib.Entries.Count; i++)
                Assert.Equal(VectorMath.Normalized(vectors[lib.Entries[i].Song]), lib.Matrix.Row(i).ToArray());
        }

        using (var lib = EmbeddingLibrary.Open(output, Mert()))
        {
            Assert.Equal((true, 0, 6), (lib.CacheRefresh.Rebuilt, lib.CacheRefresh.Reused, lib.CacheRefresh.Read));
            Assert.StartsWith(Path.Combine(modelDir, ".library", "MERT-v1-95M.last.mean."), lib.CacheRefresh.MatrixPath);
            AssertRowsMatchFiles(lib);
        }
        using (var lib = EmbeddingLibrary.Open(output, Mert()))
            Assert.False(lib.CacheRefresh.Rebuilt);

        // A changed file, a removed one, a new one: only the changed and new are read.
        vectors["s2"] = Random(rng, 768); WriteNpy(Path.Combine(modelDir, "s2.npy"), vectors["s2"]);
        File.SetLastWriteTimeUtc(Path.Combine(modelDir, "s2.npy"), DateTime.UtcNow.AddMinutes(1));
        File.Delete(Path.Combine(modelDir, "s4.npy")); vectors.Remove("s4");
        vectors["new"] = Random(rng, 768); WriteNpy(Path.Combine(modelDir, "new.npy"), vectors["new"]);
        using (var lib = EmbeddingLibrary.Open(output, Mert()))
        {
            Assert.Equal((true, 4, 2), (lib.CacheRefresh.Rebuilt, lib.CacheRefresh.Reused, lib.CacheRefresh.Read));
            AssertRowsMatchFiles(lib);
            Assert.Single(Directory.GetFiles(Path.Combine(modelDir, ".library"), "*.f32")); // the old matrix is gone
            Assert.Single(Directory.GetFiles(Path.Combine(modelDir, ".library"), "*.f16")); // and its half copy
            Assert.NotNull(lib.Matrix.Prefilter);
        }

        // The half copy is checked like the matrix: touched, it is not trusted and the cache is rebuilt.
        var halfFile = Directory.GetFiles(Path.Combine(modelDir, ".library"), "*.f16").Single();
        using (var f = new FileStream(halfFile, FileMode.Open)) { f.Position = 4; f.WriteByte(0x11); }
        using (var lib = EmbeddingLibrary.Open(output, Mert()))
        {
            Assert.Equal((true, 0, 6), (lib.CacheRefresh.Rebuilt, lib.CacheRefresh.Reused, lib.CacheRefresh.Read));
            AssertRowsMatchFiles(lib);
        }

        // A cache of the first format (no half copy) is rebuilt, not misread.
        var indexFile = Directory.GetFiles(Path.Combine(modelDir, ".library"), "*.json").Single();
        File.WriteAllText(indexFile, File.ReadAllText(indexFile).Replace("\"version\":2", "\"version\":1"));
        using (var lib = EmbeddingLibrary.Open(output, Mert()))
            Assert.Equal((true, 0, 6), (lib.CacheRefresh.Rebuilt, lib.CacheRefresh.Reused, lib.CacheRefresh.Read));

        // A matrix that is not what its index recorded (touched, truncated) is rebuilt from the files.
        var matrixFile = Directory.GetFiles(Path.Combine(modelDir, ".library"), "*.f32").Single();
        using (var f = new FileStream(matrixFile, FileMode.Open)) { f.Position = 10; f.WriteByte(0x7f); }
        using (var lib = EmbeddingLibrary.Open(output, Mert()))
        {
            Assert.Equal((true, 0, 6), (lib.CacheRefresh.Rebuilt, lib.CacheRefresh.Reused, lib.CacheRefresh.Read));
            AssertRowsMatchFiles(lib);
        }
    }

    [Fact]
    public void BadFiles_AreLeftOut_WithTheirReason_AndConfigurationsNeverMix()
    {
        var output = TestStore.TempDir("lib");
        var modelDir = Path.Combine(output, "mert");
        var rng = new Random(9);
        WriteNpy(Path.Combine(modelDir, "good.npy"), Random(rng, 768));
        WriteNpy(Path.Combine(modelDir, "narrow.npy"), Random(rng, 512));
        File.WriteAllText(Path.Combine(modelDir, "broken.npy"), "not numpy");
        WriteNpy(Path.Combine(modelDir, "layer6.npy"), Random(rng, 768));
        EmbeddingManifest.Append(modelDir, new EmbeddingRecord { Output = "layer6.npy", Variant = "MERT-v1-95M", Layer = "6", Pooling = "Mean" });
        WriteNpy(Path.Combine(modelDir, "MERT-v1-95M.6.mean", "other.npy"), Random(rng, 768)); // another configuration's folder
        var seq = Random(rng, 3 * 768);
        WriteNpy(Path.Combine(modelDir, "MERT-v1-95M.last.none", "seq.npy"), seq, new[] { 3, 768 });

        using var lib = EmbeddingLibrary.Open(output, Mert());
        Assert.Equal(new[] { "good" }, lib.Entries.Select(e => e.Song));
        Assert.Equal(3, lib.Issues.Count);
        Assert.Contains(lib.Issues, i => i.Path.EndsWith("narrow.npy") && i.Problem.Contains("512 values"));
        Assert.Contains(lib.Issues, i => i.Path.EndsWith("broken.npy") && i.Problem.Contains("cannot be read"));
        Assert.Contains(lib.Issues, i => i.Path.EndsWith("layer6.npy") && i.Problem.Contains("layer 6"));

        // The sequence configuration: its own library, each song the mean of its rows.
        using var seqLib = EmbeddingLibrary.Open(output, ConfigurationResolver.Resolve(TestStore.Catalog, null, "Mert", null, null, Pooling.None));
        var mean = Enumerable.Range(0, 768).Select(c => (seq[c] + seq[768 + c] + seq[1536 + c]) / 3).ToArray();
        Assert.Equal(VectorMath.Normalized(mean), seqLib.Matrix.Row(0).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }
}
