using System.Text.Json;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Checkpoints.Safetensors;
using AudioEmbed.Core.Checkpoints.Torch;

namespace AudioEmbed.Tests.Checkpoints;

/// <summary>The real-format checkpoints written by upstream torch.save (EnCodecMAE tiny, MERT tiny).</summary>
public class TorchFixtureTests
{
    private static string EncodecMae(string file) => SharedData.Require("fixtures", "encodecmae", "tiny-mel256", file);

    [SkippableFact]
    public void EncodecMaeModelLoadsWithConfigAndImportsStrings()
    {
        var ckpt = TorchCheckpoint.Load(EncodecMae("model.pt"));
        var root = Assert.IsType<Dictionary<string, object?>>(ckpt.Root);
        Assert.Equal(new[] { "config", "imports", "state_dict" }, root.Keys);
        Assert.Equal("model", ckpt.ArchiveName);
        Assert.Equal(File.ReadAllText(EncodecMae("config.gin")), Assert.IsType<string>(root["config"]));
        string imports = Assert.IsType<string>(root["imports"]);
        Assert.Equal(File.ReadAllText(SharedData.Require("fixtures", "encodecmae", "imports.txt")).TrimEnd('\n'), imports.TrimEnd('\n'));
    }

    [SkippableFact]
    public void EncodecMaeStateDictMatchesKeyShapeDtypeListAndSharing()
    {
        var ckpt = TorchCheckpoint.Load(EncodecMae("model.pt"));
        var stateDict = ckpt.StateDict();
        Assert.Equal(stateDict.Keys, ckpt.StateDict("state_dict").Keys);

        using var doc = JsonDocument.Parse(File.ReadAllBytes(EncodecMae("state_dict.json")));
        var entries = doc.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(48, entries.Count);
        Assert.Equal(entries.Select(e => e.GetProperty("key").GetString()), stateDict.Keys); // same keys, same order

        var values = new Dictionary<string, float[]>();
        int shared = 0;
        foreach (var e in entries)
        {
            string key = e.GetProperty("key").GetString()!;
            var t = stateDict[key];
            Assert.Equal(key, t.Name);
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), t.Shape);
            Assert.Equal("float32", e.GetProperty("dtype").GetString());
            Assert.Equal("F32", t.DType);
            values[key] = t.ToFloat32();
            Assert.Equal(t.ElementCount, values[key].Length);
            Assert.All(values[key], v => Assert.True(float.IsFinite(v)));
            var same = e.GetProperty("same_tensor_as");
            if (same.ValueKind == JsonValueKind.String)
            {
                shared++;
                string original = same.GetString()!;
                Assert.Equal(stateDict[original].StorageId, t.StorageId);
                Assert.Equal(values[original], values[key]); // exact: the same bytes
            }
        }
        Assert.True(shared > 0, "the fixture lists shared tensors");
        // Non-aliased tensors have their own storage, so random weights differ.
        var distinct = entries.Where(e => e.GetProperty("same_tensor_as").ValueKind == JsonValueKind.Null)
                              .Select(e => stateDict[e.GetProperty("key").GetString()!].StorageId).ToList();
        Assert.Equal(distinct.Count, distinct.Distinct().Count());
        // The README states the positional scale value.
        Assert.Equal(1.1451838f, Assert.Single(values["masker.positional_encoder.scale"]), 6);
        Assert.Equal(0, stateDict["masker.positional_encoder.scale"].Rank);
    }

    [SkippableTheory]
    [InlineData("tiny-95m-style")]
    [InlineData("tiny-330m-style")]
    public void MertPytorchBinAndSafetensorsHoldIdenticalTensors(string folder)
    {
        var bin = TorchCheckpoint.Load(SharedData.Require("fixtures", "mert", folder, "pytorch_model.bin"));
        Assert.Equal("pytorch_model", bin.ArchiveName);
        var fromBin = bin.StateDict();
        var st = SafetensorsReader.Open(SharedData.Require("fixtures", "mert", folder, "model.safetensors"));
        Assert.Equal("pt", st.Metadata["format"]);
        Assert.Equal(51, fromBin.Count);
        Assert.Equal(fromBin.Keys.Order(StringComparer.Ordinal), st.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, t) in fromBin)
        {
            var s = st.Tensors[key];
            Assert.Equal(t.Shape, s.Shape);
            Assert.Equal("F32", s.DType);
            Assert.Equal(t.ToFloat32(), s.ToFloat32()); // bit-identical: two independent readers agree
        }
        Assert.Equal(new long[] { 1, 1, 128 }, fromBin["encoder.pos_conv_embed.conv.weight_g"].Shape);
    }

    [SkippableFact]
    public void StateDictWithUnknownKeyIsAClearError()
    {
        var ckpt = TorchCheckpoint.Load(EncodecMae("model.pt"));
        var ex = Assert.Throws<CheckpointException>(() => ckpt.StateDict("nope"));
        Assert.Equal("nope", ex.Key);
        ex = Assert.Throws<CheckpointException>(() => ckpt.StateDict("config"));
        Assert.Contains("not a dict of tensors", ex.Message);
    }
}
