using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// The real MP3 songs of ../shared/audio end to end (our MP3 decoder, downmix, resampler, frontend, model)
/// against the upstream pipeline's taggrams. Fixture README: with a float MP3 decoder and the matching
/// resampy table, expect about 2e-3 abs on the taggram.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class RealSongTests
{
    [SkippableTheory]
    [InlineData(TestAudio.SongA, "0.2.2", "reference_MTT_musicnn/taggram.npy", false)]
    [InlineData(TestAudio.SongA, "0.2.2", "reference_MTT_musicnn/taggram.npy", true)]
    [InlineData(TestAudio.SongB, "0.2.2", "reference_MTT_musicnn/taggram.npy", false)]
    [InlineData(TestAudio.SongA, "0.4.2", "alt_resampy_0.4.2/taggram_MTT_musicnn.npy", false)]
    [InlineData(TestAudio.SongA, "0.4.2", "alt_resampy_0.4.2/taggram_MTT_musicnn.npy", true)]
    public void Mp3Song_MatchesTheUpstreamTaggram(string song, string resampy, string reference, bool exact)
    {
        TestStore.WithMusicnn("MTT_musicnn");
        var mp3 = SharedData.Require("audio", song + ".mp3");
        using var host = new ModuleHost();
        var e = host.Run($"Get-AudioEmbedding -LiteralPath '{mp3}' -Layer taggram -ResampyVersion {resampy} -IncludeTags -Top 3{(exact ? " -ExactResampling" : "")}").ThrowIfErrors().Single<AudioEmbedding>();

        var taggram = SharedData.Npy("fixtures", "musicnn", song, reference);
        Assert.Equal(taggram.Shape[0], e.Patches);
        var expected = Pooler.Mean(taggram.ToFloat32(), taggram.Shape[0], 50);
        Tolerance.AllClose(expected, e.Vector, 2e-3, 0, $"mean taggram of {song}");
        var labels = TestStore.Catalog.Family("MusiCNN").Labels["MTT"];
        var top3 = expected.Select((s, i) => (s, i)).OrderByDescending(t => t.s).Take(3).Select(t => labels[t.i]);
        Assert.Equal(top3, e.Tags!.Select(t => t.Tag));
    }
}
