using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Output;
using AudioEmbed.Tests.Checkpoints;

namespace AudioEmbed.Tests.Mert;

/// <summary>Paths and conversions of ../shared/fixtures/mert, shared by the MERT tests.</summary>
internal static class MertFixtures
{
    public static readonly string[] Styles = { "tiny-95m-style", "tiny-330m-style" };
    public static readonly string[] Checkpoints = { "pytorch_model.bin", "model.safetensors" };
    /// <summary>README: hidden states, last hidden state and mean pooled, float32 ONNX vs torch.</summary>
    public const double HiddenAbs = 1e-4;
    /// <summary>README: the normalised input.</summary>
    public const double NormalizedAbs = 1e-5;
    public const int Layers = 2, Hidden = 32;

    public static string File(string style, string name) => SharedData.Require("fixtures", "mert", style, name);

    public static NpyArray Npy(string style, string name) => SharedData.Npy("fixtures", "mert", style, name);

    /// <summary>Converts a tiny fixture model to an .onnx file in <paramref name="dir"/> and returns its path.</summary>
    public static string Convert(string style, string checkpoint, string dir)
    {
        var graph = MertFamily.BuildGraph(File(style, "config.json"), File(style, "preprocessor_config.json"), File(style, checkpoint));
        string path = Path.Combine(dir, $"{style}-{checkpoint}.onnx");
        using (var stream = System.IO.File.Create(path)) graph.WriteTo(stream);
        return path;
    }

    /// <summary>
    /// Copies a float32 safetensors file tensor by tensor, renaming or reshaping each as <paramref name="map"/>
    /// says (null drops it); the values are unchanged. Returns <paramref name="destination"/>.
    /// </summary>
    public static string RewriteSafetensors(string source, string destination, Func<TensorData, (string Name, long[] Shape)?> map)
    {
        var kept = SafetensorsReader.Open(source).Tensors.Values.Select(t => (Tensor: t, Target: map(t))).Where(p => p.Target != null).ToList();
        long offset = 0;
        var entries = new List<(string, string, long[], long, long)>();
        foreach (var (t, target) in kept)
        {
            entries.Add((target!.Value.Name, "F32", target.Value.Shape, offset, offset + t.ElementCount * 4));
            offset += t.ElementCount * 4;
        }
        using var file = new FileStream(destination, FileMode.Create, FileAccess.ReadWrite);
        SafetensorsWriter.WriteHeader(file, SafetensorsWriter.Header(entries, new Dictionary<string, string> { ["format"] = "pt" }));
        foreach (var (t, _) in kept) file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.ToFloat32().AsSpan()));
        return destination;
    }
}

/// <summary>A temporary folder deleted after the test.</summary>
internal sealed class MertTempDir : IDisposable
{
    public MertTempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mert-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
