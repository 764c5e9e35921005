namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// Where an extractor puts its layer rows as the chunks come out of the model: kept whole when the sequence is
/// wanted, or folded into the running mean or max when only the pooled embedding is, so that memory does not grow
/// with the file's length (a 20-minute file with -Layer All is 90,000 frames × 9,984 values: 3.6 GB of rows).
/// Values arrive row-major and may split a row across calls (all layers of one frame come from several outputs).
/// This is the only pooling code: <see cref="Pooler"/> runs whole arrays through it.
/// </summary>
internal sealed class RowCollector
{
    private readonly List<float>? _kept;
    private readonly long _keepLimit;
    private readonly double[]? _sums;
    private readonly float[]? _max;
    private int _column;

    private RowCollector(int dimension, List<float>? kept, double[]? sums, float[]? max, long keepLimit = 0)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        Dimension = dimension;
        _kept = kept;
        _keepLimit = keepLimit;
        _sums = sums;
        _max = max;
    }

    /// <summary>Keeps every row (Pooling None), up to <paramref name="limit"/> values: one array's (the tests give a small one).</summary>
    public static RowCollector Keep(int dimension, long limit = 0) =>
        new(dimension, new List<float>(), null, null, limit > 0 ? Math.Min(limit, Array.MaxLength) : Array.MaxLength);

    /// <summary>Keeps only the running mean or max of the rows.</summary>
    public static RowCollector Pool(Pooling pooling, int dimension) => pooling switch
    {
        Pooling.Mean => new(dimension, null, new double[dimension], null),
        Pooling.Max => new(dimension, null, null, new float[dimension]),
        _ => throw new ArgumentOutOfRangeException(nameof(pooling), $"{pooling} is not a pooling of rows"),
    };

    public int Dimension { get; }

    /// <summary>Complete rows received so far.</summary>
    public long RowCount { get; private set; }

    public void Add(ReadOnlySpan<float> values)
    {
        if (_kept != null)
        {
            // Kept rows become one array: a sequence past its limit is a clear error, not an OutOfMemoryException.
            if ((long)_kept.Count + values.Length > _keepLimit)
                throw new AudioTooLongException("the audio is too long for one embedding array: use -Pooling Mean or Max");
            _kept.AddRange(values);
        }
        while (!values.IsEmpty)
        {
            int n = Math.Min(values.Length, Dimension - _column);
            var part = values[..n];
            if (_sums != null)
                for (int i = 0; i < n; i++) _sums[_column + i] += part[i];
            else if (_max != null && RowCount == 0)
                part.CopyTo(_max.AsSpan(_column)); // the first row is where the maximum starts
            else if (_max != null)
                for (int i = 0; i < n; i++) if (part[i] > _max[_column + i]) _max[_column + i] = part[i];
            _column += n;
            if (_column == Dimension) { _column = 0; RowCount++; }
            values = values[n..];
        }
    }

    /// <summary>The kept rows (RowCount × Dimension), or the pooled row (one row of Dimension).</summary>
    public float[] ToArray()
    {
        if (_column != 0) throw new InvalidOperationException($"a partial row: {_column} of {Dimension} values");
        if (_kept != null) return _kept.ToArray();
        if (RowCount == 0) throw new InvalidOperationException("no rows to pool");
        if (_max != null) return (float[])_max.Clone();
        var mean = new float[Dimension];
        for (int i = 0; i < Dimension; i++) mean[i] = (float)(_sums![i] / RowCount);
        return mean;
    }
}
