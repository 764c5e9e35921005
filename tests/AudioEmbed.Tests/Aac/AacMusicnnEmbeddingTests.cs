using AudioEmbed.Core.Pipeline;
using AudioEmbed.Tests.FFmpeg;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Aac;

/// <summary>
/// What the decoder's accuracy means for a user: MusiCNN's embedding of a real song transcoded to AAC, computed from
/// the managed decode and from ffmpeg's decode (both written as float WAV, then the same Get-AudioEmbedding), must
/// agree to cosine 0.99999 (issue 16's bar for the ffmpeg path).
/// </summary>
[Collection(FFmpegCollection.Name)]
public class AacMusicnnEmbeddingTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _log;

    public AacMusicnnEmbeddingTests(Xunit.Abstractions.ITestOutputHelper log) => _log = log;

    [SkippableTheory]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88.mp3", "-b:a 128k -ar 44100 -ac 2")]
    [InlineData("Kevin_MacLeod_-_Vibe_Ace.ogg", "-b:a 64k")]
    public void Musicnn_embedding_of_the_managed_decode_equals_ffmpegs(string song, string encoder)
    {
        var path = SharedData.Require("audio", song);
        TestStore.WithMusicnn("MTT_musicnn");
        var name = "emb-" + Path.GetFileNameWithoutExtension(song) + encoder.Replace(" ", "").Replace(":", "");
        var (aac, reference) = AacTestSupport.Make(name, $"-t 30 -i \"{path}\"", encoder);
        var (ours, decoder) = AacTestSupport.DecodeManaged(aac);
        var dir = Directory.CreateTempSubdirectory("aembed-aac-emb-");
        try
        {
            string a = Path.Combine(dir.FullName, "managed.wav"), b = Path.Combine(dir.FullName, "ffmpeg.wav");
            TestAudio.WriteFloatWav(a, ours, decoder.SampleRate, decoder.Channels);
            TestAudio.WriteFloatWav(b, reference, decoder.SampleRate, decoder.Channels);
            using var host = new ModuleHost();
            var e = host.Run($"Get-AudioEmbedding -LiteralPath '{a}','{b}' -Model MusiCNN").ThrowIfErrors().All<AudioEmbedding>().ToList();
            Assert.Equal(2, e.Count);
            double cosine = Similarity.Cosine(e[0].Vector, e[1].Vector);
            _log.WriteLine($"{song}: MusiCNN cosine managed vs ffmpeg decode {cosine:F9}, max |vector diff| {Tolerance.MaxAbsDiff(e[0].Vector, e[1].Vector):E2}");
            Assert.True(cosine >= 0.99999, $"{song}: cosine {cosine:F7} < 0.99999");
        }
        finally { dir.Delete(true); }
    }
}
