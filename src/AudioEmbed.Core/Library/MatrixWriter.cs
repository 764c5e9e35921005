using System.Buffers.Binary;

namespace AudioEmbed.Core.Library;

/// <summary>
/// Writes a library cache's two matrix files row by row: the float32 rows (little-endian) and their half-precision
/// copy (<see cref="HalfRows"/>), measuring as it goes the two bounds the index records for the
/// <see cref="HalfPrefilter"/>: the largest row error ‖row − half(row)‖₂ and the largest row norm.
/// </summary>
public sealed class MatrixWriter : IDisposable
{
    private readonly FileStream _rows, _half;
    private readonly byte[] _rowBytes, _halfBytes;
    private readonly ushort[] _halfRow;

    public MatrixWriter(string path, string halfPath, int dimension)
    {
        Dimension = dimension;
        _rows = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        try { _half = new FileStream(halfPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16); }
        catch { _rows.Dispose(); throw; }
        _rowBytes = new byte[dimension * sizeof(float)];
        _halfBytes = new byte[dimension * sizeof(ushort)];
        _halfRow = new ushort[dimension];
    }

    public int Dimension { get; }
    public double ErrorBound { get; private set; }
    public double NormBound { get; private set; }

    public void Append(ReadOnlySpan<float> row)
    {
        if (row.Length != Dimension) throw new ArgumentException($"a row of {row.Length} values in a matrix of {Dimension}");
        double norm = 0;
        for (int i = 0; i < row.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_rowBytes.AsSpan(4 * i), row[i]);
            norm += (double)row[i] * row[i];
        }
        _rows.Write(_rowBytes);
        ErrorBound = Math.Max(ErrorBound, HalfRows.Encode(row, _halfRow));
        NormBound = Math.Max(NormBound, Math.Sqrt(norm));
        for (int i = 0; i < _halfRow.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(_halfBytes.AsSpan(2 * i), _halfRow[i]);
        _half.Write(_halfBytes);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _half.Dispose();
    }
}
