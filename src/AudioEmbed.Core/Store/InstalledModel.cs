namespace AudioEmbed.Core.Store;

/// <summary>
/// A converted model in the store: its folder, ONNX file and manifest. The float32 model is model.onnx; its Int8
/// copy (made on first use, see <see cref="ModelStore.WithPrecision"/>) sits beside it as model.int8.onnx.
/// </summary>
public sealed class InstalledModel
{
    public const string Int8OnnxFileName = "model.int8.onnx";

    public InstalledModel(string directory, ModelManifest manifest) : this(directory, manifest, Onnx.Precision.Float32, manifest.OnnxSha256) { }

    internal InstalledModel(string directory, ModelManifest manifest, Onnx.Precision precision, string onnxSha256)
    {
        Directory = directory;
        Manifest = manifest;
        Precision = precision;
        OnnxSha256 = onnxSha256;
    }

    public string Directory { get; }
    public ModelManifest Manifest { get; }
    public Onnx.Precision Precision { get; }
    /// <summary>SHA-256 of the ONNX file this precision runs (the manifest's for float32): what embeddings record as their model.</summary>
    public string OnnxSha256 { get; }
    public string OnnxPath => Path.Combine(Directory, Precision == Onnx.Precision.Int8 ? Int8OnnxFileName : ModelManifest.OnnxFileName);
    public long SizeBytes => new FileInfo(OnnxPath).Length;
}
