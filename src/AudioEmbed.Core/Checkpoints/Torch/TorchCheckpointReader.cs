namespace AudioEmbed.Core.Checkpoints.Torch;

/// <summary>Entry point by the name the converters look for; see <see cref="TorchCheckpoint"/>.</summary>
public static class TorchCheckpointReader
{
    /// <summary>Reads a torch.save zip checkpoint through the restricted unpickler (tensor values stay on disk until read).</summary>
    public static TorchCheckpoint Load(string path) => TorchCheckpoint.Load(path);
}
