using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Output;

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
