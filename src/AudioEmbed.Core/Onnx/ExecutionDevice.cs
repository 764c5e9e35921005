namespace AudioEmbed.Core.Onnx;

/// <summary>Where ONNX Runtime runs a model. Auto picks the first accelerator that initialises, else the CPU.</summary>
public enum ExecutionDevice
{
    Cpu,
    Cuda,
    DirectML,
    CoreML,
    Auto,
}
