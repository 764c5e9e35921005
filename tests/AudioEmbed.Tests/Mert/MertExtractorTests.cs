using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Pipeline;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Mert;

/// <summary>
/// The whole extraction path on the tiny models: WAV decode → mono → (24 kHz already) → chunking →
/// per-chunk normalisation → model → layer rows, against the upstream references (1e-4 max abs, README).
/// Chunk boundaries are chosen to fall exactly between concatenated reference inputs, so every chunk has
/// its own reference.
/// </summary>
public class MertExtractorTests : IDisposable
{
    private const int Rate = 24000;
    private readonly MertTempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public MertExtractorTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    private MertExtractor Extractor(string style, double chunkSeconds = MertExtractor.DefaultChunkSeconds, int batchChunks = 1) =>
        new(MertFixtures.Convert(style, "model.safetensors", _dir.Path), ExecutionDevice.Cpu, 0, chunkSeconds, batchChunks);

    private static float[] Hidden(string style, int input, int index)
    {
        var all = MertFixtures.Npy(style, $"hidden_states_{input}.npy");
        int per = (int)(all.Shape[1] * all.Shape[2]);
        return all.ToFloat32().AsSpan(index * per, per).ToArray();
    }

    [SkippableTheory]
    [InlineData("tiny-95m-style", 1)]
    [InlineData("tiny-95m-style", 2)]
    [InlineData("tiny-330m-style", 1)]
    [InlineData("tiny-330m-style", 2)]
    public void WavFile_EveryLayer_MatchesUpstream(string style, int input)
    {
        var extractor = Extractor(style);
        string wav = MertFixtures.File(style, $"input_{input}.wav");
        var layers = new Dictionary<string, float[]>
        {
            ["last"] = MertFixtures.Npy(style, $"last_hidden_state_{input}.npy").ToFloat32(),
            ["0"] = Hidden(style, input, 0),
            ["1"] = Hidden(style, input, 1),
            ["2"] = Hidden(style, input, 2),
        };
        var h = Enumerable.Range(0, 3).Select(i => Hidden(style, input, i)).ToArray();
        layers["average"] = h[0].Select((_, k) => (h[0][k] + h[1][k] + h[2][k]) / 3f).ToArray();

        foreach (var (layer, expected) in layers)
        {
            using var audio = AudioFile.Open(wav);
            var rows = extractor.Extract(audio, layer, new EmbeddingRequest(), CancellationToken.None);
            Assert.Equal(MertFixtures.Hidden, rows.Dimension);
            Assert.Equal(expected.Length / MertFixtures.Hidden, rows.RowCount);
            Assert.Equal(1, rows.Patches);
            Assert.Equal(input == 1 ? 76800 : 32881, rows.DecodedFrames);
            Tolerance.AllClose(expected, rows.Rows, MertFixtures.HiddenAbs, 0, $"{style} input {input} layer {layer}");
            _log.WriteLine($"{style} input {input} layer {layer}: max abs {Tolerance.MaxAbsDiff(expected, rows.Rows):E2}");
        }
    }

    [SkippableTheory]
    [InlineData("tiny-95m-style", 1)]
    [InlineData("tiny-95m-style", 4)]
    [InlineData("tiny-330m-style", 4)]
    public void LongAudio_IsChunkedNormalisedAndBatched_AsPerChunkReferences(string style, int batchChunks)
    {
        // 5 full chunks of input_1 (with batchChunks 4: a run of 4, then 1) and a shorter final chunk, input_2.
        var x1 = MertFixtures.Npy(style, "input_1.npy").ToFloat32();
        var x2 = MertFixtures.Npy(style, "input_2.npy").ToFloat32();
        var audio = Enumerable.Repeat(x1, 5).SelectMany(a => a).Concat(x2).ToArray();
        var extractor = Extractor(style, chunkSeconds: x1.Length / (double)Rate, batchChunks);
        Assert.Equal(x1.Length, extractor.ChunkSamples);

        var rows = extractor.Extract(new MertArraySource(audio, Rate), "last", new EmbeddingRequest(), CancellationToken.None);

        var last1 = MertFixtures.Npy(style, "last_hidden_state_1.npy").ToFloat32();
        var last2 = MertFixtures.Npy(style, "last_hidden_state_2.npy").ToFloat32();
        var expected = Enumerable.Repeat(last1, 5).SelectMany(a => a).Concat(last2).ToArray();
        Assert.Equal(6, rows.Patches);
        Assert.Equal(5 * 239 + 102, rows.RowCount);
        Tolerance.AllClose(expected, rows.Rows, MertFixtures.HiddenAbs, 0, $"{style} chunked");
        _log.WriteLine($"{style} chunked, {batchChunks} per run: max abs {Tolerance.MaxAbsDiff(expected, rows.Rows):E2}");
    }

    [SkippableFact]
    public void StereoOfIdenticalChannels_EqualsMono()
    {
        var extractor = Extractor("tiny-95m-style");
        var x = MertFixtures.Npy("tiny-95m-style", "input_2.npy").ToFloat32();
        var stereo = x.SelectMany(v => new[] { v, v }).ToArray();
        var rows = extractor.Extract(new MertArraySource(stereo, Rate, channels: 2), "last", new EmbeddingRequest(), CancellationToken.None);
        Tolerance.AllClose(MertFixtures.Npy("tiny-95m-style", "last_hidden_state_2.npy").ToFloat32(), rows.Rows, MertFixtures.HiddenAbs, 0, "stereo");
    }

    [SkippableFact]
    public void TailShorterThanReceptiveField_IsDropped_ButAWholeShortFileIsPadded()
    {
        var extractor = Extractor("tiny-95m-style");
        Assert.Equal(400, extractor.ReceptiveField);
        var x1 = MertFixtures.Npy("tiny-95m-style", "input_1.npy").ToFloat32();
        var chunked = Extractor("tiny-95m-style", chunkSeconds: x1.Length / (double)Rate);

        var withTail = x1.Concat(x1.Take(399)).ToArray();
        var rows = chunked.Extract(new MertArraySource(withTail, Rate), "last", new EmbeddingRequest(), CancellationToken.None);
        Assert.Equal(1, rows.Patches);
        Tolerance.AllClose(MertFixtures.Npy("tiny-95m-style", "last_hidden_state_1.npy").ToFloat32(), rows.Rows, MertFixtures.HiddenAbs, 0, "dropped tail");

        var withFrame = x1.Concat(x1.Take(400)).ToArray();
        Assert.Equal(2, chunked.Extract(new MertArraySource(withFrame, Rate), "last", new EmbeddingRequest(), CancellationToken.None).Patches);

        var tiny = extractor.Extract(new MertArraySource(x1.Take(100).ToArray(), Rate), "last", new EmbeddingRequest(), CancellationToken.None);
        Assert.Equal(1, tiny.RowCount);
        Assert.All(tiny.Rows, v => Assert.True(float.IsFinite(v)));
    }

    [SkippableFact]
    public void OtherRates_AreResampledTo24k()
    {
        var extractor = Extractor("tiny-95m-style");
        var x = new float[48000]; // 1 s at 48 kHz → 24000 samples → 74 frames
        for (int i = 0; i < x.Length; i++) x[i] = (float)Math.Sin(2 * Math.PI * 440 * i / 48000.0);
        var rows = extractor.Extract(new MertArraySource(x, 48000), "last", new EmbeddingRequest(), CancellationToken.None);
        Assert.Equal(74, rows.RowCount);
        Assert.Equal(48000, rows.NativeSampleRate);
    }

    [SkippableFact]
    public void EmptyAudio_AndUnknownLayers_AreClearErrors()
    {
        var extractor = Extractor("tiny-95m-style");
        var empty = Assert.Throws<InvalidDataException>(() => extractor.Extract(new MertArraySource(Array.Empty<float>(), Rate), "last", new EmbeddingRequest(), CancellationToken.None));
        Assert.Contains("no audio", empty.Message);
        foreach (var bad in new[] { "3", "-1", "first", "", "all2" })
        {
            var ex = Assert.Throws<ArgumentException>(() => extractor.Extract(new MertArraySource(new float[1000], Rate), bad, new EmbeddingRequest(), CancellationToken.None));
            Assert.Contains("0 … 2", ex.Message);
        }
    }

    [SkippableFact]
    public void PreprocessorWithoutNormalisation_FeedsSamplesUnchanged()
    {
        // Early-2023 copies of the 95M preprocessor_config.json had do_normalize false (README): then the
        // samples reach the model as they are, so feeding the reference's normalised input reproduces it.
        const string style = "tiny-95m-style";
        var pre = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(MertFixtures.File(style, "preprocessor_config.json")))!.AsObject();
        pre["do_normalize"] = false;
        string prePath = _dir.File("preprocessor_config.json");
        File.WriteAllText(prePath, pre.ToJsonString());
        string onnx = _dir.File("raw.onnx");
        using (var stream = File.Create(onnx))
            MertFamily.BuildGraph(MertFixtures.File(style, "config.json"), prePath, MertFixtures.File(style, "pytorch_model.bin")).WriteTo(stream);
        var extractor = new MertExtractor(onnx, ExecutionDevice.Cpu, 0);
        Assert.False(extractor.Normalize);

        var normalized = MertFixtures.Npy(style, "normalized_2.npy").ToFloat32();
        var rows = extractor.Extract(new MertArraySource(normalized, Rate), "last", new EmbeddingRequest(), CancellationToken.None);
        Tolerance.AllClose(MertFixtures.Npy(style, "last_hidden_state_2.npy").ToFloat32(), rows.Rows, MertFixtures.HiddenAbs, 0, "do_normalize false");

        // No output comparison of raw against normalised input: the first conv has no bias and is followed by a
        // per-channel GroupNorm over time, so the model is (up to eps) invariant to an affine change of the input.
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void LayerAll_RowsHoldEveryHiddenStateOfAFrame_LayerMajor(int input)
    {
        const string style = "tiny-330m-style";
        var extractor = Extractor(style);
        var expected = MertFixtures.Npy(style, $"hidden_states_{input}.npy"); // (L+1, frames, D)
        int layers = (int)expected.Shape[0], frames = (int)expected.Shape[1], d = (int)expected.Shape[2];
        var values = expected.ToFloat32();
        var perFrame = new float[values.Length]; // → (frames, L+1, D)
        for (int l = 0; l < layers; l++)
            for (int t = 0; t < frames; t++)
                Array.Copy(values, (l * frames + t) * d, perFrame, (t * layers + l) * d, d);

        using var audio = AudioFile.Open(MertFixtures.File(style, $"input_{input}.wav"));
        var rows = extractor.Extract(audio, "all", new EmbeddingRequest(), CancellationToken.None);
        Assert.Equal((frames, layers * d), (rows.RowCount, rows.Dimension));
        Tolerance.AllClose(perFrame, rows.Rows, MertFixtures.HiddenAbs, 0, $"all, input {input}");
    }
}
