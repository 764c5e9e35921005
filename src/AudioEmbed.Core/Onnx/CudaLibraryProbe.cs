using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Onnx;

/// <summary>One native library the CUDA execution provider needs, and whether this process could load it.</summary>
public sealed record CudaLibrary(string Component, string[] Candidates, bool Found);

/// <summary>
/// Says which of the libraries ONNX Runtime's CUDA provider loads are missing on this machine, by trying to load
/// them the way the provider will (the system's library search path). ONNX Runtime's own error when one is missing
/// names only the first file it failed on, deep in a provider-bridge message; this names every missing piece and
/// what it belongs to (the NVIDIA driver, the CUDA 13 runtime and its libraries, cuDNN 9).
/// </summary>
public static class CudaLibraryProbe
{
    // (component, Windows names, Linux names): what ONNX Runtime 1.32.0's CUDA provider loads, read from its binaries
    // (ELF NEEDED entries and the DLL names it loads): CUDA 13 (cudart 13, cuBLAS/cuBLASLt 13, cuRAND 10; cuFFT 12 on
    // Windows) and cuDNN 9. An empty array: not needed on that OS. Change this with the ONNX Runtime version.
    private static readonly (string Component, string[] Windows, string[] Linux)[] Required =
    {
        ("NVIDIA driver", new[] { "nvcuda.dll" }, new[] { "libcuda.so.1" }),
        ("CUDA 13 runtime", new[] { "cudart64_13.dll" }, new[] { "libcudart.so.13" }),
        ("CUDA 13 cuBLAS", new[] { "cublas64_13.dll" }, new[] { "libcublas.so.13" }),
        ("CUDA 13 cuBLASLt", new[] { "cublasLt64_13.dll" }, new[] { "libcublasLt.so.13" }),
        ("CUDA 13 cuRAND", new[] { "curand64_10.dll" }, new[] { "libcurand.so.10" }),
        ("CUDA 13 cuFFT", new[] { "cufft64_12.dll" }, Array.Empty<string>()),
        ("cuDNN 9", new[] { "cudnn64_9.dll" }, new[] { "libcudnn.so.9" }),
    };

    /// <summary>Every library the provider needs on this OS, each with whether it loaded. Empty on macOS (no CUDA).</summary>
    public static IReadOnlyList<CudaLibrary> Check()
    {
        bool windows = OperatingSystem.IsWindows();
        if (!windows && !OperatingSystem.IsLinux()) return Array.Empty<CudaLibrary>();
        return Required
            .Select(r => (r.Component, Names: windows ? r.Windows : r.Linux))
            .Where(r => r.Names.Length > 0)
            .Select(r => new CudaLibrary(r.Component, r.Names, r.Names.Any(CanLoad)))
            .ToList();
    }

    /// <summary>
    /// A sentence naming what is missing ("Missing on this machine: NVIDIA driver (libcuda.so.1), ..."), or
    /// null when every library loads (then the cause is elsewhere: no GPU, a driver older than CUDA 13, ...).
    /// </summary>
    public static string? DescribeMissing()
    {
        if (OperatingSystem.IsMacOS()) return "CUDA does not exist for macOS.";
        var missing = Check().Where(l => !l.Found).ToList();
        if (missing.Count == 0) return null;
        var parts = missing.Select(l => $"{l.Component} ({l.Candidates[0]})");
        return "Missing on this machine (not loadable from the library search path): " + string.Join(", ", parts) + ".";
    }

    private static bool CanLoad(string name)
    {
        if (!NativeLibrary.TryLoad(name, out var handle)) return false;
        NativeLibrary.Free(handle);
        return true;
    }
}
