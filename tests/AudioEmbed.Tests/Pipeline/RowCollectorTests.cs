using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.Pipeline;

/// <summary>The running pool an extractor folds its rows into: exactly <see cref="Pooler"/>'s result, whatever the split of the values.</summary>
public class RowCollectorTests
{
    private static float[] RandomRows(int rows, int dim, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * dim).Select(_ => (float)(rng.NextDouble() * 8 - 4)).ToArray();
    }

    /// <summary>Feeds the values in pieces of varying sizes that split rows (as -Layer All's per-output slices do).</summary>
    private static void AddInPieces(RowCollector collector, float[] values)
    {
        int[] sizes = { 1, 7, 3, 40, 13 };
        for (int at = 0, k = 0; at < values.Length; k++)
        {
            int n = Math.Min(sizes[k % sizes.Length], values.Length - at);
            collector.Add(values.AsSpan(at, n));
            at += n;
        }
    }

    [Theory]
    [InlineData(Pooling.Mean)]
    [InlineData(Pooling.Max)]
    public void Pool_EqualsPoolerBitForBit(Pooling pooling)
    {
        const int Rows = 1000, Dim = 24;
        var values = RandomRows(Rows, Dim, 3);
        var collector = RowCollector.Pool(pooling, Dim);
        AddInPieces(collector, values);
        var expected = pooling == Pooling.Max ? Pooler.Max(values, Rows, Dim) : Pooler.Mean(values, Rows, Dim);
        Assert.Equal(Rows, collector.RowCount);
        Assert.Equal(expected, collector.ToArray()); // exact: same double sums in the same order
    }

    [Fact]
    public void Max_OfAllNegativeRows_IsNotZero()
    {
        var collector = RowCollector.Pool(Pooling.Max, 2);
        collector.Add(new[] { -3f, -1f, -2f, -5f });
        Assert.Equal(new[] { -2f, -1f }, collector.ToArray());
    }

    [Fact]
    public void Keep_ReturnsEveryRowInOrder()
    {
        var values = RandomRows(50, 9, 4);
        var collector = RowCollector.Keep(9);
        AddInPieces(collector, values);
        Assert.Equal(50, collector.RowCount);
        Assert.Equal(values, collector.ToArray());
    }

    [Fact]
    public void PartialRowOrNoRows_AreErrors()
    {
        var partial = RowCollector.Pool(Pooling.Mean, 4);
        partial.Add(new float[6]);
        Assert.Throws<InvalidOperationException>(() => partial.ToArray());
        Assert.Throws<InvalidOperationException>(() => RowCollector.Pool(Pooling.Max, 4).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => RowCollector.Pool(Pooling.None, 4));
    }

    [Fact]
    public void KeptRows_PastTheArrayLimit_AreAudioTooLong_NotAnOutOfMemory()
    {
        // The limit is one array's (about 2^31 values, 8 GB of audio rows); the same check with a limit of 12 values.
        var collector = RowCollector.Keep(4, limit: 12);
        collector.Add(new float[8]);
        collector.Add(new float[4]);
        var ex = Assert.Throws<AudioTooLongException>(() => collector.Add(new float[4]));
        Assert.Contains("-Pooling Mean or Max", ex.Message);
        Assert.Equal(3, collector.RowCount); // what was kept before the limit stays whole
    }
}
