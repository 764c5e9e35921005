namespace AudioEmbed.Core.Library;

/// <summary>
/// A row-major float32 matrix file mapped read-only (<see cref="MappedRegion"/>): a million 768-wide rows (3 GB) cost
/// no managed memory. Optionally paired with its <see cref="HalfPrefilter"/>, the same rows at half the bytes, which
/// <see cref="ExactSearch"/> scans first so that only the few rows that can still be in the answer are read here.
/// </summary>
public sealed unsafe class MappedMatrix : IDisposable
{
    private readonly MappedRegion? _region;
    private readonly float* _base;

    public MappedMatrix(string path, int rows, int dimension, HalfPrefilter? prefilter = null)
    {
        if (prefilter != null && (prefilter.Rows != rows || prefilter.Dimension != dimension))
            throw new ArgumentException($"The prefilter has {prefilter.Rows} × {prefilter.Dimension} rows, the matrix {rows} × {dimension}.");
        Path = path; Rows = rows; Dimension = dimension; Prefilter = prefilter;
        _region = new MappedRegion(path, Bytes, $"{rows} × {dimension} float32 rows");
        _base = (float*)_region.Base;
    }

    private MappedMatrix(int dimension) { Path = ""; Dimension = dimension; }

    /// <summary>A matrix of no rows, backed by no file (an empty library creates nothing on disk).</summary>
    public static MappedMatrix Empty(int dimension) => new(dimension);

    public string Path { get; }
    public int Rows { get; }
    public int Dimension { get; }
    public long Bytes => (long)Rows * Dimension * sizeof(float);

    /// <summary>The half-precision copy with its error bound, or null (then a search reads every row here).</summary>
    public HalfPrefilter? Prefilter { get; }

    public ReadOnlySpan<float> Row(int row) => new(_base + (long)row * Dimension, Dimension);

    public void Dispose()
    {
        _region?.Dispose();
        Prefilter?.Dispose();
    }
}
