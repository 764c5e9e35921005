using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AudioEmbed.Core.Onnx;

/// <summary>What one execution device did when tried: whether a session initialised and ran, and if not, why.</summary>
public sealed record DeviceStatus(ExecutionDevice Device, int DeviceId, string Provider, bool ProviderCompiledIn, bool Available, string? Reason);

/// <summary>
/// Tries each device for real: a provider compiled into ONNX Runtime can still fail at session creation (no GPU,
/// wrong CUDA or cuDNN, an old driver), so a tiny model is created and run on it before anything is promised.
/// </summary>
public static class DeviceProbe
{
    /// <summary>The concrete devices, in the order Auto tries them (the CPU last).</summary>
    public static IReadOnlyList<ExecutionDevice> Devices { get; } =
        new[] { ExecutionDevice.Cuda, ExecutionDevice.DirectML, ExecutionDevice.CoreML, ExecutionDevice.Cpu };

    private static readonly Lazy<byte[]> ProbeModel = new(BuildProbeModel);

    /// <summary>What -Device Auto resolves to: the first accelerator that initialises, else the CPU.</summary>
    public static DeviceStatus ResolveAuto(int deviceId = 0) =>
        Devices.Select(d => Probe(d, deviceId)).FirstOrDefault(s => s.Available) ?? Probe(ExecutionDevice.Cpu, deviceId);

    public static DeviceStatus Probe(ExecutionDevice device, int deviceId = 0)
    {
        if (device == ExecutionDevice.Auto) throw new ArgumentException("Probe a concrete device; Auto is the first of them that is available.", nameof(device));
        string provider = ProviderName(device);
        bool compiledIn = device == ExecutionDevice.Cpu || SessionFactory.ProviderCompiledIn(device);
        if (!compiledIn) return new DeviceStatus(device, deviceId, provider, false, false, SessionFactory.Unavailable(device));
        try
        {
            using var options = SessionFactory.Options(device, deviceId);
            using var session = new InferenceSession(ProbeModel.Value, options);
            var input = new DenseTensor<float>(new[] { 1f, 2f, 3f, 4f }, new[] { 4 });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", input) });
            float sum = results.First().AsEnumerable<float>().Sum();
            return sum == 20f
                ? new DeviceStatus(device, deviceId, provider, true, true, null)
                : new DeviceStatus(device, deviceId, provider, true, false, $"The probe model ran but returned {sum} instead of 20.");
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            return new DeviceStatus(device, deviceId, provider, true, false, SessionFactory.Unavailable(device) + " ONNX Runtime said: " + ex.Message);
        }
    }

    public static string ProviderName(ExecutionDevice device) => device switch
    {
        ExecutionDevice.Cuda => "CUDAExecutionProvider",
        ExecutionDevice.DirectML => "DmlExecutionProvider",
        ExecutionDevice.CoreML => "CoreMLExecutionProvider",
        ExecutionDevice.Cpu => "CPUExecutionProvider",
        _ => throw new ArgumentOutOfRangeException(nameof(device)),
    };

    // y = x + x: one real kernel on the device, checked above by its sum (2 · (1+2+3+4)).
    private static byte[] BuildProbeModel()
    {
        var g = new OnnxGraphBuilder("device_probe");
        var x = g.Input("x", new long?[] { 4 });
        g.Output(g.Add(x, x), "y", new long?[] { 4 });
        return g.ToBytes();
    }
}
