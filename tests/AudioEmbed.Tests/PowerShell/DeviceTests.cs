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
    public void Probe_RunsATinyModelOnTheCpu()
    {
        var status = DeviceProbe.Probe(ExecutionDevice.Cpu);
        Assert.True(status.Available, status.Reason);
        Assert.Equal("CPUExecutionProvider", status.Provider);
        Assert.Throws<ArgumentException>(() => DeviceProbe.Probe(ExecutionDevice.Auto));
    }
}
