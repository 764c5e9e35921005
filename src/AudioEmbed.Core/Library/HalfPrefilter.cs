namespace AudioEmbed.Core.Library;

/// <summary>
/// The library's rows again as IEEE binary16 (<see cref="HalfRows"/>): half the bytes of the float32 matrix, so a
/// scan that is limited by memory bandwidth — a million 768-wide rows is 3 GB a query — reads 1.5 GB instead. Its
/// scores are approximate, but by a known amount: <see cref="ErrorBound"/> is the largest distance between a float32
/// row and its half copy, measured when the file was written, and <see cref="Margin"/> turns it into a bound on the
/// score difference. That bound is what makes the search exact (see <see cref="ExactSearch"/>).
/// </summary>
public sealed unsafe class HalfPrefilter : IDisposable
{
    private readonly MappedRegion _region;
    private readonly ushort* _base;

    /// <param name="errorBound">max over rows of ‖row − half(row)‖₂, as recorded by the writer.</param>
    /// <param name="normBound">max over rows of ‖row‖₂ (about 1: the rows are unit vectors, or zero).</param>
    public HalfPrefilter(string path, int rows, int dimension, double errorBound, double normBound)
    {
        if (!(errorBound >= 0) || !(normBound >= 0) || double.IsInfinity(errorBound) || double.IsInfinity(normBound))
            throw new InvalidDataException($"'{path}': the prefilter's recorded bounds ({errorBound}, {normBound}) are not finite non-negative numbers.");
        Path = path; Rows = rows; Dimension = dimension; ErrorBound = errorBound; NormBound = normBound;
        _region = new MappedRegion(path, (long)rows * dimension * sizeof(ushort), $"{rows} × {dimension} half-precision rows");
        _base = (ushort*)_region.Base;
        _region.PopulateAll(); // every search reads all of it
    }

    public string Path { get; }
    public int Rows { get; }
    public int Dimension { get; }
    public double ErrorBound { get; }
    public double NormBound { get; }

    public ReadOnlySpan<ushort> Row(int row) => new(_base + (long)row * Dimension, Dimension);

    /// <summary>
    /// A bound on |exact − approximate| for every row's score against <paramref name="query"/>, where exact is the
    /// float32 dot product of the float32 row (TensorPrimitives.Dot, whatever its summation order) and approximate is
    /// <see cref="HalfRows.Dot"/> of the half row. Three parts: the rows differ by at most ErrorBound·‖q‖
    /// (Cauchy–Schwarz), and each float32 dot product of d terms is off its real value by at most γ_d·‖q‖·‖row‖ with
    /// γ_d = d·u/(1 − d·u), u = 2⁻²⁴ (the classical bound for any summation order, products included). ‖q‖ is taken
    /// in double and rounded up; a sixteenth is added on top so that no rounding of these few operations matters.
    /// </summary>
    public double Margin(ReadOnlySpan<float> query)
    {
        double q = 0;
        foreach (var v in query) q += (double)v * v;
        double qNorm = Math.Sqrt(q) * (1 + 1e-12);
        double du = Dimension * Math.Pow(2, -24);
        double gamma = du / (1 - du);
        double margin = qNorm * (ErrorBound + gamma * (2 * NormBound + ErrorBound));
        return margin * 1.0625;
    }

    public void Dispose() => _region.Dispose();
}
