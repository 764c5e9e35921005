namespace AudioEmbed.Core.Store;

/// <summary>A converted model in the store: its folder, ONNX file and manifest.</summary>
public sealed class InstalledModel
{
    public InstalledModel(string directory, ModelManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    public string Directory { get; }
    public ModelManifest Manifest { get; }
    public string OnnxPath => Path.Combine(Directory, ModelManifest.OnnxFileName);
    public long SizeBytes => new FileInfo(OnnxPath).Length;
}
