namespace AudioEmbed.Core.Onnx;

/// <summary>A requested execution device that the loaded ONNX Runtime cannot provide; the message says what to install.</summary>
public sealed class DeviceUnavailableException : Exception
{
    public DeviceUnavailableException(ExecutionDevice device, string message, Exception? inner = null) : base(message, inner) => Device = device;

    public ExecutionDevice Device { get; }
}
