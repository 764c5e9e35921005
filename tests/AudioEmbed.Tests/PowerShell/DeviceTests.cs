using AudioEmbed.Core.Onnx;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Get-AudioEmbedDevice reports what initialises, not what is compiled in or hoped for. Guards against promising a
/// device that fails at the first file, and against a device report without the install hint.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class DeviceTests
{
    private static bool HasProvider(string name) => SessionFactory.AvailableProviders().Contains(name);

    [Fact]
    public void EveryDeviceIsReported_TheCpuInitialises_TheOthersSayWhatToInstall()
    {
        using var host = new ModuleHost();
        var statuses = host.Run("Get-AudioEmbedDevice").ThrowIfErrors().All<DeviceStatus>().ToArray();

        Assert.Equal(new[] { ExecutionDevice.Cuda, ExecutionDevice.DirectML, ExecutionDevice.CoreML, ExecutionDevice.Cpu }, statuses.Select(s => s.Device));
        var cpu = statuses.Single(s => s.Device == ExecutionDevice.Cpu);
        Assert.True(cpu.Available, cpu.Reason);
        Assert.Null(cpu.Reason);
        if (!HasProvider("CUDAExecutionProvider"))
        {
            var cuda = statuses.Single(s => s.Device == ExecutionDevice.Cuda);
            Assert.False(cuda.Available);
            Assert.False(cuda.ProviderCompiledIn);
            Assert.Contains("-Flavor Cuda", cuda.Reason);
        }
        Assert.All(statuses.Where(s => !s.Available), s => Assert.False(string.IsNullOrEmpty(s.Reason)));
    }

    [Fact]
    public void Available_ListsOnlyDevicesThatInitialise_AndAutoIsTheOneGetAudioEmbeddingWouldUse()
    {
        using var host = new ModuleHost();
        var available = host.Run("Get-AudioEmbedDevice -Available").ThrowIfErrors().All<DeviceStatus>().ToArray();
        Assert.All(available, s => Assert.True(s.Available));
        Assert.Contains(available, s => s.Device == ExecutionDevice.Cpu);

        var auto = host.Run("Get-AudioEmbedDevice -Device Auto").ThrowIfErrors().Single<DeviceStatus>();
        Assert.True(auto.Available);
        Assert.Equal(available[0].Device, auto.Device); // the first accelerator that initialises, else the CPU
    }

    [Fact]
    public void CudaUnavailable_NamesEveryMissingCudaLibrary_BothInTheReportAndInTheError()
    {
        var libraries = CudaLibraryProbe.Check();
        if (OperatingSystem.IsLinux())
            Assert.Equal(new[] { "NVIDIA driver", "CUDA 13 runtime", "CUDA 13 cuBLAS", "CUDA 13 cuBLASLt", "CUDA 13 cuRAND", "cuDNN 9" }, libraries.Select(l => l.Component));
        if (OperatingSystem.IsWindows())
            Assert.Equal(new[] { "NVIDIA driver", "CUDA 13 runtime", "CUDA 13 cuBLAS", "CUDA 13 cuBLASLt", "CUDA 13 cuRAND", "CUDA 13 cuFFT", "cuDNN 9" }, libraries.Select(l => l.Component));
        var missing = libraries.Where(l => !l.Found).ToList();
        if (missing.Count == 0) return; // a CUDA machine: nothing is missing to be named

        using var host = new ModuleHost();
        var cuda = host.Run("Get-AudioEmbedDevice -Device Cuda").ThrowIfErrors().Single<DeviceStatus>();
        Assert.False(cuda.Available);
        // The error of a session asked for on -Device Cuda (what Get-AudioEmbedding -Device Cuda throws).
        var g = new OnnxGraphBuilder("cuda_probe_test");
        var x = g.Input("x", new long?[] { 4 });
        g.Output(g.Add(x, x), "y", new long?[] { 4 });
        var model = Path.Combine(Path.GetTempPath(), $"ae-cuda-probe-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(model, g.ToBytes());
        try
        {
            var error = Assert.Throws<DeviceUnavailableException>(() => SessionFactory.Get(model, ExecutionDevice.Cuda));
            foreach (var text in new[] { cuda.Reason!, error.Message })
            {
                Assert.Contains("Missing on this machine", text);
                foreach (var library in missing)
                    Assert.Contains($"{library.Component} ({library.Candidates[0]})", text);
                Assert.Contains("-Device Cpu", text);
            }
        }
        finally { File.Delete(model); }
    }

    [Fact]
    public void Probe_RunsATinyModelOnTheCpu()
    {
        var status = DeviceProbe.Probe(ExecutionDevice.Cpu);
        Assert.True(status.Available, status.Reason);
        Assert.Equal("CPUExecutionProvider", status.Provider);
        Assert.Throws<ArgumentException>(() => DeviceProbe.Probe(ExecutionDevice.Auto));
    }
}
