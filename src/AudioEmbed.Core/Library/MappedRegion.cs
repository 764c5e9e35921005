using System.IO.MemoryMappedFiles;

namespace AudioEmbed.Core.Library;

/// <summary>
/// A whole file mapped read-only, as a raw pointer: the matrices built on it cost no managed memory, and their
/// resident pages are the operating system's file cache, shared and evictable. A zero-length file maps to nothing.
/// </summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;

    /// <param name="expectedBytes">What the caller's index promises; any other length is refused before mapping.</param>
    public MappedRegion(string path, long expectedBytes, string what)
    {
        long length = new FileInfo(path).Length;
        if (length != expectedBytes)
            throw new InvalidDataException($"'{path}' holds {length} bytes, not the {expectedBytes} bytes of {what} its index promises.");
        if (expectedBytes == 0) return;
        _file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, expectedBytes, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        Base = p + _view.PointerOffset;
    }

    public byte* Base { get; }

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
