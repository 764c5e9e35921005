using System.Text.Json;
using AudioEmbed.Core.Checkpoints.Torch;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Tests.Checkpoints;

namespace AudioEmbed.Tests.EncodecMae;

/// <summary>Paths of ../shared/fixtures/encodecmae and helpers to convert and synthesise EnCodecMAE checkpoints.</summary>
internal static class EncodecMaeTestSupport
{
    public static string Fixture(params string[] relative) => SharedData.Require(new[] { "fixtures", "encodecmae" }.Concat(relative).ToArray());

    public static float[] Npy(params string[] relative) => SharedData.Npy(new[] { "fixtures", "encodecmae" }.Concat(relative).ToArray()).ToFloat32();

    /// <summary>Converts a checkpoint to an .onnx file in <paramref name="dir"/>, optionally editing the parsed config first.</summary>
    public static string Convert(TempDir dir, string checkpointPath, Func<EncodecMaeGinConfig, EncodecMaeGinConfig>? edit = null, string name = "model.onnx")
    {
        var checkpoint = TorchCheckpoint.Load(checkpointPath);
        var config = EncodecMaeGinConfig.Parse(EncodecMaeFamily.ConfigText(checkpoint), checkpointPath);
        if (edit != null) config = edit(config);
        OnnxGraphBuilder graph = EncodecMaeGraph.Build(config, checkpoint.StateDict("state_dict"), checkpointPath);
        EncodecMaeMetadata.Write(graph, config);
        string path = dir.File(name);
        using (var file = File.Create(path)) graph.WriteTo(file);
        return path;
    }

    public sealed record Entry(string Key, long[] Shape, string? SameAs);

    /// <summary>The entries of a fixture state_dict.json (key, shape, and the key whose storage it shares).</summary>
    public static List<Entry> Entries(string jsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        return doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => new Entry(
            e.GetProperty("key").GetString()!,
            e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
            e.GetProperty("same_tensor_as").ValueKind == JsonValueKind.String ? e.GetProperty("same_tensor_as").GetString() : null)).ToList();
    }

    /// <summary>
    /// Writes a hub-style checkpoint {'config', 'imports', 'state_dict'} with the given entries: shared entries view
    /// the same storage (as torch.save writes a shared module); values are zero except two markers per storage, and
    /// the zeros are holes of a sparse file, so full-size layouts cost little disk.
    /// </summary>
    public static void WriteCheckpoint(string path, string config, IReadOnlyList<Entry> entries)
    {
        var storageOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var storages = new List<long>();
        var p = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("config").Str(config)
            .Str("imports").Str("torch.nn: torch.nn\n")
            .Str("state_dict").Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark();
        foreach (var e in entries)
        {
            var tensor = new SyntheticTensor(e.Key, e.Shape);
            int storage;
            if (e.SameAs != null && storageOf.TryGetValue(e.SameAs, out int shared)) storage = shared;
            else
            {
                storage = storages.Count;
                storages.Add(tensor.Count);
            }
            storageOf[e.Key] = storage;
            p.Str(e.Key).Tensor("FloatStorage", storage.ToString(), storages[storage], 0, e.Shape, tensor.RowMajorStrides());
        }
        byte[] pickle = p.SetItems().SetItems().Stop().ToArray();

        using var zip = new TorchZipWriter(path);
        zip.Add("archive/data.pkl", pickle);
        for (int i = 0; i < storages.Count; i++)
        {
            int index = i;
            long n = storages[i];
            zip.Add($"archive/data/{i}", n * 4, SparseTensorData.Crc(i, n), (f, start) => SparseTensorData.WriteMarkers(f, start, index, n));
        }
        zip.Add("archive/version", "3\n"u8.ToArray());
    }
}
