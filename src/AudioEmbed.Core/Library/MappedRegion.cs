using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Library;

/// <summary>
/// A whole file mapped read-only, as a raw pointer: the matrices built on it cost no managed memory, and their
/// resident pages are the operating system's file cache, shared and evictable. A zero-length file maps to nothing.
/// </summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _viewStart;
    private readonly long _viewBytes;

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
        _viewStart = p;
        _viewBytes = _view.PointerOffset + expectedBytes;
    }

    /// <summary>
    /// Maps every page now, in one call, for a region that is about to be read from end to end (the prefilter scan):
    /// on Linux 5.14+ MADV_POPULATE_READ fills the page tables in bulk, where a first scan would otherwise take one
    /// page fault per 64 KB; older kernels get MADV_WILLNEED (read-ahead only). Elsewhere, and on any error, nothing
    /// happens: the pages then come in on first touch as before. Never needed for correctness.
    /// </summary>
    public void PopulateAll()
    {
        if (_viewStart == null || !OperatingSystem.IsLinux()) return;
        try
        {
            if (Madvise(_viewStart, (nuint)_viewBytes, MadvPopulateRead) != 0) Madvise(_viewStart, (nuint)_viewBytes, MadvWillNeed);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { }
    }

    private const int MadvWillNeed = 3, MadvPopulateRead = 22;

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static extern int Madvise(void* address, nuint length, int advice);

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
