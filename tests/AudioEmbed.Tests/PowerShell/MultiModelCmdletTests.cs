using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Get-AudioEmbedding -Model MusiCNN, Mert, EnCodecMAE: one decode per file shared by three models. MusiCNN from
/// ../shared/models/musicnn and the tiny MERT / EnCodecMAE checkpoints of ../shared/fixtures (custom names, as
/// MertCmdletTests and EncodecMaeCmdletTests install them). The songs: a 44.1 kHz stereo FLAC of real music
/// (../shared/fixtures/flac, the IETF FLAC test suite; ../shared/audio holds no 44.1 kHz song) and the 22.05 kHz
/// stereo MP3 song of ../shared/audio, so every model resamples (16 kHz resampy fix_length, 24 kHz natural, 24 kHz
/// fix_length: three recipes). Each (file, model) result is compared with the single-model run of the same file
/// BIT FOR BIT: the multi-model pass feeds each model the same samples in the same blocks (one shared mono decode,
/// one resampler per recipe, 16,384-sample blocks), so nothing may differ.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class MultiModelCmdletTests
{
    private const string Variants = "-Variant Mert=tiny-95m-style, EnCodecMAE=tiny-mel256";
    private static readonly string[] Models = { "MusiCNN", "Mert", "EnCodecMAE" };

    private static (ModuleHost Host, string Store, string[] Songs) Setup()
    {
        var mert = SharedData.Require("fixtures", "mert", "tiny-95m-style");
        var encodec = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt");
        var musicnn = SharedData.Require("models", "musicnn", "MTT_musicnn.h5");
        var songs = new[]
        {
            SharedData.Require("fixtures", "flac", "subset-01-blocksize_4096.flac"),
            SharedData.Require("audio", TestAudio.SongA + ".mp3"),
        };
        var store = TestStore.TempDir("store");
        var host = new ModuleHost();
        host.Run($"Install-AudioEmbedModel MusiCNN -Variant MTT_musicnn -SourcePath '{musicnn}' -ModelPath '{store}'").ThrowIfErrors();
        host.Run($"Install-AudioEmbedModel Mert -Variant MERT-v1-95M -Name tiny-95m-style -SourcePath '{mert}' -ModelPath '{store}'").ThrowIfErrors();
        host.Run($"Install-AudioEmbedModel EnCodecMAE -Variant mel256-ec-base_st -Name tiny-mel256 -SourcePath '{encodec}' -ModelPath '{store}'").ThrowIfErrors();
        return (host, store, songs);
    }

    private static string Quoted(IEnumerable<string> paths) => string.Join(", ", paths.Select(p => $"'{p}'"));

    private static AudioEmbedding[] Single(ModuleHost host, string store, string[] songs, string model, string extra) =>
        host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(songs)} -Model {model} -ModelPath '{store}' {extra}").ThrowIfErrors().All<AudioEmbedding>().ToArray();

    private static void AssertSame(AudioEmbedding expected, AudioEmbedding actual)
    {
        string what = $"{actual.Name} {actual.Model}";
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Variant, actual.Variant);
        Assert.Equal(expected.Layer, actual.Layer);
        Assert.Equal(expected.Dimension, actual.Dimension);
        Assert.Equal(expected.Patches, actual.Patches);
        Assert.Equal(expected.Duration, actual.Duration);
        Assert.Equal(expected.SampleRate, actual.SampleRate);
        Assert.True(expected.Vector.AsSpan().SequenceEqual(actual.Vector), $"{what}: the vector differs from the single-model run");
        Assert.Equal(expected.Sequence is null, actual.Sequence is null);
        if (expected.Sequence is { } rows)
        {
            Assert.Equal(rows.Length, actual.Sequence!.Length);
            for (int r = 0; r < rows.Length; r++) Assert.True(rows[r].AsSpan().SequenceEqual(actual.Sequence[r]), $"{what}: row {r} differs");
            Assert.Equal(expected.FrameTimes, actual.FrameTimes);
        }
    }

    [SkippableFact]
    public void ThreeModels_OnePass_EqualSingleModelRunsBitForBit_FileMajor()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var multi = host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(songs)} -Model MusiCNN, Mert, EnCodecMAE {Variants} -ModelPath '{store}'")
            .ThrowIfErrors().All<AudioEmbedding>().ToArray();

        // file1/model1, file1/model2, …: in input order, models in -Model order.
        Assert.Equal(songs.SelectMany(s => Models.Select(m => (Path.GetFullPath(s), m))), multi.Select(e => (e.Path, e.Model)));
        var single = new Dictionary<string, AudioEmbedding[]>
        {
            ["MusiCNN"] = Single(host, store, songs, "MusiCNN", ""),
            ["Mert"] = Single(host, store, songs, "Mert", "-Variant tiny-95m-style"),
            ["EnCodecMAE"] = Single(host, store, songs, "EnCodecMAE", "-Variant tiny-mel256"),
        };
        for (int f = 0; f < songs.Length; f++)
            for (int m = 0; m < Models.Length; m++)
                AssertSame(single[Models[m]][f], multi[f * Models.Length + m]);
    }

    [SkippableFact]
    public void LayerPairs_ApplyPerModel_WithWholeSequences()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var song = songs.Take(1).ToArray();
        var multi = host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(song)} -Model MusiCNN, Mert, EnCodecMAE {Variants} -Layer MusiCNN=taggram, EnCodecMAE=all -Pooling None -ModelPath '{store}'")
            .ThrowIfErrors().All<AudioEmbedding>().ToArray();
        Assert.Equal(new[] { "taggram", "last", "all" }, multi.Select(e => e.Layer.ToLowerInvariant()));
        AssertSame(Single(host, store, song, "MusiCNN", "-Layer taggram -Pooling None")[0], multi[0]);
        AssertSame(Single(host, store, song, "Mert", "-Variant tiny-95m-style -Pooling None")[0], multi[1]);
        AssertSame(Single(host, store, song, "EnCodecMAE", "-Variant tiny-mel256 -Layer all -Pooling None")[0], multi[2]);
    }

    [SkippableFact]
    public void SkipExisting_SkipsPerModel_AndExportWritesEachModelsFolder()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var output = TestStore.TempDir("out");
        // The first song done for MusiCNN only: the multi run must compute MERT and EnCodecMAE for it, all three for the second.
        host.Run($"Get-AudioEmbedding -LiteralPath '{songs[0]}' -Model MusiCNN -ModelPath '{store}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var r = host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(songs)} -Model MusiCNN, Mert, EnCodecMAE {Variants} -ModelPath '{store}' -SkipExisting -OutputDirectory '{output}' | Export-EmbeddingNpy -OutputDirectory '{output}'").ThrowIfErrors();
        var written = r.Output.Select(o => (Status: o.Properties["Status"].Value.ToString(), Path: (string)o.Properties["Path"].Value, OutputPath: (string)o.Properties["OutputPath"].Value)).ToArray();
        // Each model's file lands in its own folder (the catalog's), below which the layout may add more.
        var expected = new[] { (songs[0], "mert"), (songs[0], "encodecmae"), (songs[1], "musicnn"), (songs[1], "mert"), (songs[1], "encodecmae") };
        Assert.Equal(expected.Length, written.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal("Written", written[i].Status);
            Assert.Equal(Path.GetFullPath(expected[i].Item1), written[i].Path);
            Assert.StartsWith(Path.Combine(output, expected[i].Item2) + Path.DirectorySeparatorChar, written[i].OutputPath);
            Assert.True(File.Exists(written[i].OutputPath));
        }

        // Everything done: nothing runs.
        var again = host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(songs)} -Model MusiCNN, Mert, EnCodecMAE {Variants} -ModelPath '{store}' -SkipExisting -OutputDirectory '{output}'").ThrowIfErrors();
        Assert.Empty(again.Output);
    }

    [SkippableFact]
    public void BadFile_GivesOneErrorPerModel_AndTheNextFileGoesOn()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var bad = Path.Combine(TestStore.TempDir("bad"), "broken.mp3");
        File.WriteAllBytes(bad, Enumerable.Range(0, 5000).Select(i => (byte)(i * 37 % 251)).ToArray());
        var r = host.Run($"Get-AudioEmbedding -LiteralPath '{bad}', '{songs[0]}' -Model MusiCNN, Mert, EnCodecMAE {Variants} -ModelPath '{store}'");
        Assert.Null(r.Terminating);
        Assert.Equal(3, r.Errors.Count);
        Assert.All(r.Errors, e => Assert.StartsWith("AudioEmbed.AudioDecodeFailed", e.FullyQualifiedErrorId));
        Assert.All(r.Errors, e => Assert.Contains("broken.mp3", e.Exception.Message));
        Assert.Equal(Models, r.Errors.Select(e => e.ErrorDetails!.Message.Split(':')[0]));
        Assert.Equal(Models, r.All<AudioEmbedding>().Select(e => e.Model));
    }

    [SkippableTheory]
    [InlineData("-Variant Nope=x", "Unknown model 'Nope'")]
    [InlineData("-Layer Nope=last", "Unknown model 'Nope'")]
    [InlineData("-Variant tiny-95m-style", "Model=Value pairs")]
    [InlineData("-Layer EnCodecMAE=all", "which -Model does not")]
    [InlineData("-Resampler Nope=Torchaudio", "Unknown model 'Nope'")]
    [InlineData("-Resampler EnCodecMAE=Torchaudio", "which -Model does not")]
    [InlineData("-Resampler Torchaudio, SoxrHQ", "two plain values")]
    [InlineData("-Resampler Mert=Torchaudio, Mert=SoxrHQ", "gives Mert two values")]
    public void BadPairs_AreOneClearError(string parameters, string expected)
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var r = host.Run($"try {{ Get-AudioEmbedding -LiteralPath '{songs[0]}' -Model MusiCNN, Mert -ModelPath '{store}' {parameters} }} catch {{ $_.FullyQualifiedErrorId; $_.Exception.Message }}");
        var lines = r.Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("AudioEmbed.InvalidModelChoice", lines[0]);
        Assert.Contains(expected, lines[1]);
    }

    [SkippableFact]
    public void OneModel_TakesAPairNamingIt_AsItsPlainValue()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var pair = host.Run($"Get-AudioEmbedding -LiteralPath '{songs[0]}' -Model MusiCNN -Layer MusiCNN=taggram -ModelPath '{store}'").ThrowIfErrors().Single<AudioEmbedding>();
        AssertSame(Single(host, store, songs.Take(1).ToArray(), "MusiCNN", "-Layer taggram")[0], pair);
    }

    [SkippableFact]
    public void Resampler_TakesModelPairs_APlainValueForEveryModel_APairWinning()
    {
        var (host, store, songs) = Setup();
        using var _ = host;
        var song = songs.Take(1).ToArray(); // 44.1 kHz: both models resample it
        AudioEmbedding[] Multi(string resampler) =>
            host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(song)} -Model MusiCNN, Mert -Variant Mert=tiny-95m-style -ModelPath '{store}' {resampler}")
                .ThrowIfErrors().All<AudioEmbedding>().ToArray();

        var pair = Multi("-Resampler Mert=Torchaudio");
        Assert.Equal(new[] { ("MusiCNN", "resampy-0.4.2"), ("Mert", "torchaudio") }, pair.Select(e => (e.Model, e.ResamplingRecipe)));
        AssertSame(Single(host, store, song, "MusiCNN", "")[0], pair[0]);
        AssertSame(Single(host, store, song, "Mert", "-Variant tiny-95m-style -Resampler Torchaudio")[0], pair[1]);

        // A plain value applies to every model (as before pairs existed); a pair wins over it for its model.
        var plain = Multi("-Resampler Torchaudio");
        Assert.Equal(new[] { "torchaudio", "torchaudio" }, plain.Select(e => e.ResamplingRecipe));
        AssertSame(Single(host, store, song, "MusiCNN", "-Resampler Torchaudio")[0], plain[0]);
        var mixed = Multi("-Resampler Torchaudio, MusiCNN=Resampy");
        Assert.Equal(new[] { "resampy-0.4.2", "torchaudio" }, mixed.Select(e => e.ResamplingRecipe));

        // An unknown value is refused by the parameter's validation, in a pair too.
        var bad = host.Run($"Get-AudioEmbedding -LiteralPath {Quoted(song)} -Model MusiCNN, Mert -ModelPath '{store}' -Resampler Mert=Linear");
        Assert.Contains("SoxrHQ, Torchaudio, Resampy", (bad.Terminating ?? bad.Errors.Single().Exception).Message);
    }

    [Fact]
    public void Resampler_CompletesValues_AndPairsWithSeveralModels()
    {
        using var host = new ModuleHost();
        string[] Complete(string line) =>
            host.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
                new Dictionary<string, object?> { ["line"] = line }).ThrowIfErrors().All<string>().ToArray();
        Assert.Equal(new[] { "SoxrHQ", "Torchaudio", "Resampy" }, Complete("Get-AudioEmbedding -Resampler "));
        Assert.Equal(new[] { "Torchaudio" }, Complete("Get-AudioEmbedding -Resampler t"));
        Assert.Equal(new[] { "Mert=SoxrHQ", "Mert=Torchaudio", "Mert=Resampy" }, Complete("Get-AudioEmbedding -Model MusiCNN, Mert -Resampler Mert="));
    }
}
