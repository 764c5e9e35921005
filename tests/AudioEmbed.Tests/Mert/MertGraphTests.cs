using AudioEmbed.Core.Models.Mert;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Mert;

/// <summary>
/// The converted tiny MERT models (both encoder styles, both checkpoint formats) fed the reference
/// normalized_N.npy, against every hidden state upstream returned (hidden_states_N.npy), the last hidden
/// state and its mean over frames. Tolerance from the fixtures README: 1e-4 max abs.
/// </summary>
public class MertGraphTests : IDisposable
{
    private readonly MertTempDir _dir = new();
    private readonly ITestOutputHelper _log;

    public MertGraphTests(ITestOutputHelper log) => _log = log;

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var style in MertFixtures.Styles)
            foreach (var checkpoint in MertFixtures.Checkpoints)
                foreach (var input in new[] { 1, 2 })
                    data.Add(style, checkpoint, input);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void EveryHiddenState_MatchesUpstream(string style, string checkpoint, int input)
    {
        string onnx = MertFixtures.Convert(style, checkpoint, _dir.Path);
        var normalized = MertFixtures.Npy(style, $"normalized_{input}.npy").ToFloat32();
        var expected = MertFixtures.Npy(style, $"hidden_states_{input}.npy");
        int frames = (int)expected.Shape[1];

        using var session = new InferenceSession(onnx);
        using var x = OrtValue.CreateTensorValueFromMemory(normalized, new long[] { 1, normalized.Length });
        var names = Enumerable.Range(0, MertFixtures.Layers + 1).Select(MertGraph.HiddenName).ToArray();
        using var results = session.Run(new RunOptions(), new[] { MertGraph.InputName }, new[] { x }, names);

        var all = expected.ToFloat32();
        int per = frames * MertFixtures.Hidden;
        double worst = 0;
        for (int i = 0; i <= MertFixtures.Layers; i++)
        {
            Assert.Equal(new long[] { 1, frames, MertFixtures.Hidden }, results[i].GetTensorTypeAndShape().Shape);
            var actual = results[i].GetTensorDataAsSpan<float>();
            Tolerance.AllClose(all.AsSpan(i * per, per), actual, MertFixtures.HiddenAbs, 0, $"{style} {checkpoint} input {input} hidden_{i}");
            worst = Math.Max(worst, Tolerance.MaxAbsDiff(all.AsSpan(i * per, per), actual));
        }

        var last = results[MertFixtures.Layers].GetTensorDataAsSpan<float>();
        Tolerance.AllClose(MertFixtures.Npy(style, $"last_hidden_state_{input}.npy").ToFloat32(), last, MertFixtures.HiddenAbs, 0, "last_hidden_state");
        var pooled = AudioEmbed.Core.Pipeline.Pooler.Mean(last.ToArray(), frames, MertFixtures.Hidden);
        var expectedPooled = MertFixtures.Npy(style, $"mean_pooled_{input}.npy").ToFloat32();
        Tolerance.AllClose(expectedPooled, pooled, MertFixtures.HiddenAbs, 0, "mean_pooled");
        _log.WriteLine($"{style} {checkpoint} input {input}: max abs over all hidden states {worst:E2}, mean pooled {Tolerance.MaxAbsDiff(expectedPooled, pooled):E2}");
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Normalizer_MatchesFeatureExtractor(int input)
    {
        foreach (var style in MertFixtures.Styles)
        {
            var x = MertFixtures.Npy(style, $"input_{input}.npy").ToFloat32();
            MertNormalizer.NormalizeInPlace(x);
            var expected = MertFixtures.Npy(style, $"normalized_{input}.npy").ToFloat32();
            Tolerance.AllClose(expected, x, MertFixtures.NormalizedAbs, 0, $"{style} normalized_{input}");
            _log.WriteLine($"{style} input {input}: normalised max abs {Tolerance.MaxAbsDiff(expected, x):E2}");
        }
    }

    [SkippableFact]
    public void ParametrizedWeightNormKeys_GiveTheSameModel()
    {
        // Checkpoints saved with torch's newer parametrize-based weight_norm name g and v
        // 'parametrizations.weight.original0/1'; the values and the fold are the same.
        const string style = "tiny-95m-style";
        const string prefix = "encoder.pos_conv_embed.conv.";
        string renamed = MertFixtures.RewriteSafetensors(MertFixtures.File(style, "model.safetensors"), _dir.File("model.safetensors"), t =>
            (t.Name switch
            {
                prefix + "weight_g" => prefix + "parametrizations.weight.original0",
                prefix + "weight_v" => prefix + "parametrizations.weight.original1",
                var n => n,
            }, t.Shape.ToArray()));
        string onnx = _dir.File("renamed.onnx");
        using (var stream = File.Create(onnx))
            MertFamily.BuildGraph(MertFixtures.File(style, "config.json"), MertFixtures.File(style, "preprocessor_config.json"), renamed).WriteTo(stream);

        var normalized = MertFixtures.Npy(style, "normalized_2.npy").ToFloat32();
        using var session = new InferenceSession(onnx);
        using var x = OrtValue.CreateTensorValueFromMemory(normalized, new long[] { 1, normalized.Length });
        using var results = session.Run(new RunOptions(), new[] { MertGraph.InputName }, new[] { x }, new[] { MertGraph.HiddenName(2) });
        Tolerance.AllClose(MertFixtures.Npy(style, "last_hidden_state_2.npy").ToFloat32(), results[0].GetTensorDataAsSpan<float>(), MertFixtures.HiddenAbs, 0, "renamed weight norm");
    }
}
