using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace AudioEmbed.Core.Onnx;

/// <summary>
/// Creates ONNX Runtime sessions, once per (model file, device): a session is expensive to build and
/// safe to share between threads, so every file of a run — and every runspace in the process — reuses it.
/// </summary>
public static class SessionFactory
{
    // Keyed by the file's identity too: a reinstall (-Force) writes a new file at the same path, and
    // sessions over the old one may still be running in another pipeline, so they are never disposed here.
    private static readonly ConcurrentDictionary<(string Path, long Stamp, ExecutionDevice Device, int DeviceId), Lazy<(InferenceSession Session, ExecutionDevice Actual)>> Sessions = new();

    /// <summary>Returns the shared session and the device it actually runs on (Auto resolves to one).</summary>
    public static (InferenceSession Session, ExecutionDevice Device) Get(string onnxPath, ExecutionDevice device, int deviceId = 0)
    {
        var full = Path.GetFullPath(onnxPath);
        var key = (full, File.GetLastWriteTimeUtc(full).Ticks ^ new FileInfo(full).Length, device, deviceId);
        var lazy = Sessions.GetOrAdd(key, k => new Lazy<(InferenceSession, ExecutionDevice)>(() => Create(k.Path, k.Device, k.DeviceId)));
        try { return lazy.Value; }
        catch
        {
            Sessions.TryRemove(key, out _); // a failed creation must not be cached
            throw;
        }
    }

    /// <summary>
    /// Drops cached sessions of a model (after a reinstall replaced its file) so new runs load the new file.
    /// They are not disposed: a pipeline still running may hold one; the GC releases them after it ends.
    /// </summary>
    public static void Forget(string onnxPath)
    {
        var full = Path.GetFullPath(onnxPath);
        foreach (var key in Sessions.Keys.Where(k => k.Path == full).ToList())
            Sessions.TryRemove(key, out _);
    }

    /// <summary>The execution providers compiled into the loaded ONNX Runtime library.</summary>
    public static string[] AvailableProviders() => OrtEnv.Instance().GetAvailableProviders();

    private static (InferenceSession, ExecutionDevice) Create(string path, ExecutionDevice device, int deviceId)
    {
        if (device == ExecutionDevice.Auto)
        {
            foreach (var candidate in DeviceProbe.Devices.Where(d => d != ExecutionDevice.Cpu))
            {
                if (!ProviderCompiledIn(candidate)) continue;
                try { return (new InferenceSession(path, Options(candidate, deviceId)), candidate); }
                catch (Exception) { /* fall through to the next device, then the CPU */ }
            }
            return (new InferenceSession(path, Options(ExecutionDevice.Cpu, deviceId)), ExecutionDevice.Cpu);
        }
        if (device != ExecutionDevice.Cpu && !ProviderCompiledIn(device))
            throw new DeviceUnavailableException(device, Unavailable(device));
        try { return (new InferenceSession(path, Options(device, deviceId)), device); }
        catch (OnnxRuntimeException ex) when (device != ExecutionDevice.Cpu)
        {
            throw new DeviceUnavailableException(device, Unavailable(device) + " ONNX Runtime said: " + ex.Message, ex);
        }
    }

    internal static SessionOptions Options(ExecutionDevice device, int deviceId)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            // ONNX Runtime's default (0) counts physical cores its own way and can find 1 where there are more: on
            // the 2-vCPU development VM it ran every model on one thread (a 1024³ GEMM at 200 GFLOP/s, 350 with
            // 2 threads; MusiCNN's model 2× faster). The CPUs this process may use, as .NET counts them
            // (affinity and container limits included), are what it is allowed to keep busy.
            IntraOpNumThreads = Environment.ProcessorCount,
        };
        switch (device)
        {
            case ExecutionDevice.Cuda: options.AppendExecutionProvider_CUDA(deviceId); break;
            case ExecutionDevice.DirectML: options.AppendExecutionProvider_DML(deviceId); break;
            case ExecutionDevice.CoreML: options.AppendExecutionProvider_CoreML(); break;
        }
        return options;
    }

    internal static bool ProviderCompiledIn(ExecutionDevice device) =>
        AvailableProviders().Contains(DeviceProbe.ProviderName(device == ExecutionDevice.Auto ? ExecutionDevice.Cpu : device));

    // Two things can be missing: the GPU build of ONNX Runtime in the module, and CUDA's libraries on the machine.
    // Both are said, so a user does not rebuild the module only to learn the machine lacks cuDNN.
    private static string CudaUnavailable()
    {
        string build = ProviderCompiledIn(ExecutionDevice.Cuda)
            ? "The CUDA device is not available: this module carries ONNX Runtime's GPU build, but its CUDA provider did not start."
            : "The CUDA device is not available: this module carries the CPU build of ONNX Runtime. Build the module with './build.ps1 -Flavor Cuda' (ONNX Runtime's GPU package; the machine needs CUDA 13 and cuDNN 9).";
        string machine = CudaLibraryProbe.DescribeMissing()
            ?? "The NVIDIA driver, CUDA 13 and cuDNN 9 libraries all load: check that a CUDA GPU is present and that the driver supports CUDA 13.";
        return build + " " + machine + " Or use -Device Cpu / Auto.";
    }

    internal static string Unavailable(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Cuda => CudaUnavailable(),
        ExecutionDevice.DirectML => "The DirectML device is not available: it needs Windows and the DirectML build of ONNX Runtime ('./build.ps1 -Flavor DirectML'). Use -Device Cpu / Auto.",
        ExecutionDevice.CoreML => "The CoreML device is not available: it needs macOS and an ONNX Runtime build with the CoreML provider. Use -Device Cpu / Auto.",
        _ => "The CPU device is not available.",
    };
}
