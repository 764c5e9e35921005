using AudioEmbed.Core.Library;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Library;

/// <summary>
/// The half-precision prefilter: its encoding, its proven score margin, and the search through it answering exactly
/// what a float32 scan of every row answers (rows and scores, bit for bit), on easy, crowded and adversarial libraries.
/// </summary>
public class HalfPrefilterTests
{
    private static float[] RandomRow(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>Writes the rows as the library cache does (float32 file + half file) and maps both.</summary>
    private static MappedMatrix Write(string name, float[][] rows, out MappedMatrix plain)
    {
        int dim = rows[0].Length;
        var dir = TestStore.TempDir("half");
        var path = Path.Combine(dir, name + ".f32");
        var halfPath = Path.Combine(dir, name + ".f16");
        double errorBound, normBound;
        using (var writer = new MatrixWriter(path, halfPath, dim))
        {
            foreach (var row in rows) writer.Append(row);
            (errorBound, normBound) = (writer.ErrorBound, writer.NormBound);
        }
        plain = new MappedMatrix(path, rows.Length, dim);
        return new MappedMatrix(path, rows.Length, dim, new HalfPrefilter(halfPath, rows.Length, dim, errorBound, normBound));
    }

    [Fact]
    public void Decode_IsExact_ForEveryNormalHalfAndZero_AndEncodeFlushesSubnormals()
    {
        for (int bits = 0; bits < 65536; bits++)
        {
            int exponent = (bits >> 10) & 0x1F;
            if (exponent == 0x1F) continue; // infinities and NaNs: never written (rows are finite unit vectors)
            var half = BitConverter.UInt16BitsToHalf((ushort)bits);
            if (exponent == 0 && (bits & 0x3FF) != 0) continue; // subnormal: never written, see below
            Assert.Equal(BitConverter.SingleToUInt32Bits((float)half), BitConverter.SingleToUInt32Bits(HalfRows.Decode((ushort)bits)));
        }
        var row = new[] { 1e-6f, -3e-5f, 0.5f, -0.25f, 6.2e-5f, 0.1f };
        var encoded = new ushort[row.Length];
        double error = HalfRows.Encode(row, encoded);
        Assert.Equal(0, encoded[0]);
        Assert.Equal(0x8000, encoded[1]); // the sign survives the flush
        Assert.NotEqual(0, encoded[4] & 0x7C00); // 6.2e-5 is a normal half
        double expected = Math.Sqrt(row.Select((v, i) => Math.Pow(v - HalfRows.Decode(encoded[i]), 2)).Sum());
        Assert.Equal(expected, error, 15);
        Assert.True(error > 0);
    }

    [Theory]
    [InlineData(768)]
    [InlineData(753)] // not a multiple of any vector width: the scalar tail
    [InlineData(5)]
    public void Margin_BoundsTheDifference_BetweenTheHalfScore_AndTheFloat32Score(int dim)
    {
        var rng = new Random(dim);
        var rows = Enumerable.Range(0, 400).Select(i => VectorMath.Normalized(i % 4 == 0 ? RandomRow(rng, dim).Select(v => v * v * v * v * v).ToArray() : RandomRow(rng, dim))).ToArray();
        using var matrix = Write("m", rows, out var plain);
        using var _ = plain;
        double worst = 0;
        for (int t = 0; t < 20; t++)
        {
            var q = VectorMath.Normalized(RandomRow(rng, dim));
            double margin = matrix.Prefilter!.Margin(q);
            for (int r = 0; r < rows.Length; r++)
            {
                double diff = Math.Abs(ExactSearch.ExactScore(matrix, r, q) - HalfRows.Dot(matrix.Prefilter.Row(r), q));
                Assert.True(diff <= margin, $"row {r}: |exact − half| = {diff:E3} exceeds the margin {margin:E3}");
                worst = Math.Max(worst, diff / margin);
            }
        }
        Assert.True(worst > 0.01, $"the margin is so loose ({worst:E2} of it used) that the test proves little"); // it is a real bound, not a huge one
    }

    public static TheoryData<string> Libraries => new() { "random", "clustered", "duplicates", "zeros-and-ties" };

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Search_ThroughThePrefilter_EqualsTheFloat32Scan_BitForBit(string kind)
    {
        var rng = new Random(kind.Length);
        int dim = 96, count = 6000;
        var mean = VectorMath.Normalized(RandomRow(rng, dim));
        var centres = Enumerable.Range(0, 20).Select(_ => VectorMath.Normalized(RandomRow(rng, dim))).ToArray();
        var rows = new float[count][];
        for (int r = 0; r < count; r++)
        {
            rows[r] = kind switch
            {
                "random" => RandomRow(rng, dim),
                "clustered" => mean.Select((m, i) => 2 * m + 0.8f * centres[r % centres.Length][i] + 0.03f * (float)(rng.NextDouble() - 0.5)).ToArray(),
                // Thousands of rows within a hair of each other: far more rows inside the margin than the answer holds.
                "duplicates" => mean.Select(m => m + 2e-5f * (float)(rng.NextDouble() - 0.5)).ToArray(),
                _ => r % 7 == 0 ? new float[dim] : r % 3 == 0 ? (float[])rows[r - 3 < 0 ? 0 : r - 3].Clone() : RandomRow(rng, dim),
            };
            VectorMath.Normalize(rows[r]);
        }
        using var matrix = Write(kind, rows, out var plain);
        using var _ = plain;
        foreach (var (top, dop) in new[] { (10, 2), (1, 1), (50, 3), (count + 5, 2) })
        {
            for (int t = 0; t < 8; t++)
            {
                var q = t % 2 == 0 ? VectorMath.Normalized(rows[rng.Next(count)].Select(v => v + 0.01f * (float)(rng.NextDouble() - 0.5)).ToArray()) : VectorMath.Normalized(RandomRow(rng, dim));
                var excluded = new HashSet<int> { rng.Next(count), rng.Next(count) };
                var expected = ExactSearch.Top(plain, q, top, out int all, excluded, dop);
                var got = ExactSearch.Top(matrix, q, top, out int rescored, excluded, dop);
                Assert.Equal(count, all);
                Assert.Equal(expected, got); // rows and float scores, exactly
                if (kind is "random" && top == 10) Assert.True(rescored < count / 10, $"{rescored} rows rescored: the prefilter is not filtering");
                if (kind is "duplicates") Assert.True(rescored >= Math.Min(10 * top, count - excluded.Count), $"only {rescored} rows rescored: this library was meant to crowd the margin");
            }
        }
    }

    [Fact]
    public void Search_RefusesAQueryWithNaN_AndIgnoresAPrefilterTooLooseToHelp()
    {
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 50).Select(_ => VectorMath.Normalized(RandomRow(rng, 16))).ToArray();
        using var matrix = Write("nan", rows, out var plain);
        using var _ = plain;
        var q = VectorMath.Normalized(RandomRow(rng, 16));
        q[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => ExactSearch.Top(matrix, q, 3));

        // A far-from-unit query scales the margin past any use: the search scans the float32 rows instead, same answer.
        var big = VectorMath.Normalized(RandomRow(rng, 16)).Select(v => v * 1e6f).ToArray();
        Assert.Equal(ExactSearch.Top(plain, big, 5), ExactSearch.Top(matrix, big, 5, out int rescored));
        Assert.Equal(50, rescored);
    }
}

/// <summary>Several models combined (Find-SimilarAudio -Model A, B -Weight): through the prefilters, the same answer as combining exact scores of every song.</summary>
public class CombinedPrefilterSearchTests
{
    [Fact]
    public void SeveralModels_ThroughThePrefilters_EqualTheExactCombination()
    {
        var output = TestStore.TempDir("combined");
        var rng = new Random(21);
        var models = new[] { "Mert", "EncodecMae" };
        var wanted = models.Select(m => AudioEmbed.Core.Output.ConfigurationResolver.Resolve(TestStore.Catalog, null, m, null, null)).ToArray();
        var shared = VectorMath.Normalized(Enumerable.Range(0, 768).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray());
        for (int s = 0; s < 600; s++)
            foreach (var w in wanted)
            {
                // Near-duplicates in both models: most songs sit inside the prefilters' margins of each other.
                var v = shared.Select(x => x + (s % 3 == 0 ? 1e-4f : 2e-5f) * (float)(rng.NextDouble() - 0.5)).ToArray();
                var path = Path.Combine(output, w.Family.Folder, $"song{s:D4}.npy");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                using var f = File.Create(path);
                AudioEmbed.Core.Output.NpyWriter.Write(f, v, new[] { v.Length });
            }
        var libraries = wanted.Select(w => EmbeddingLibrary.Open(output, w)).ToArray();
        try
        {
            Assert.All(libraries, l => Assert.NotNull(l.Matrix.Prefilter));
            var weights = new[] { 1.0, 2.0 };
            var queries = libraries.Select(l => l.Matrix.Row(7).ToArray()).ToArray();
            var results = LibrarySearch.Find(libraries, queries, weights, 10, e => e.Song == "song0007", "song0007", out int missing);
            Assert.Equal(0, missing);

            // The reference: every song's combined score from exact float32 scores, the best ten, ties to the first song.
            double total = weights.Sum(w => w * w);
            var expected = Enumerable.Range(0, 600).Where(r => r != 7)
                .Select(r => (Row: r, Score: (float)(weights.Select((w, m) => w * w * ExactSearch.ExactScore(libraries[m].Matrix, r, VectorMath.Normalized(queries[m]))).Sum() / total)))
                .OrderByDescending(p => p.Score).ThenBy(p => p.Row).Take(10).ToArray();
            Assert.Equal(expected.Select(e => libraries[0].Entries[e.Row].Song), results.Select(r => r.Name));
            Assert.Equal(expected.Select(e => (double)e.Score), results.Select(r => r.Score));
        }
        finally
        {
            foreach (var l in libraries) l.Dispose();
        }
    }
}
