using System.IO.MemoryMappedFiles;

namespace AudioEmbed.Core.Library;

/// <summary>
/// A row-major float32 matrix file mapped read-only into the address space: a million 768-wide rows (3 GB) cost no
/// managed memory, and the resident pages are the operating system's file cache, shared and evictable.
/// </summary>
public sealed unsafe class MappedMatrix : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;

    public MappedMatrix(string path, int rows, int dimension)
    {
        long bytes = (long)rows * dimension * sizeof(float);
        long length = new FileInfo(path).Length;
        if (length != bytes)
            throw new InvalidDataException($"'{path}' holds {length} bytes, not the {rows} × {dimension} float32 rows its index promises.");
        Path = path; Rows = rows; Dimension = dimension;
        if (bytes == 0) return; // a zero-length file cannot be mapped; an empty matrix needs no view
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    private MappedMatrix(int dimension) { Path = ""; Dimension = dimension; }

    /// <summary>A matrix of no rows, backed by no file (an empty library creates nothing on disk).</summary>
    public static MappedMatrix Empty(int dimension) => new(dimension);

    public string Path { get; }
    public int Rows { get; }
    public int Dimension { get; }
    public long Bytes => (long)Rows * Dimension * sizeof(float);

    public ReadOnlySpan<float> Row(int row) => new((float*)_base + (long)row * Dimension, Dimension);

    public void Dispose()
    {
        if (_view != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _file?.Dispose();
    }
}
