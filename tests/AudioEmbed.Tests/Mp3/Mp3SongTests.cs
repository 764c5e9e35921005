using AudioEmbed.Core.Audio.Mp3;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Mp3;

/// <summary>
/// The two example songs against FFmpeg's float decode (fixtures/decode): exact sample count with gapless
/// trimming on (TRWJAZW has a LAME tag: 1105 samples dropped at the start, 955 at the end), max |diff| &lt; 1e-4.
/// </summary>
public class Mp3SongTests(ITestOutputHelper log)
{
    [SkippableTheory]
    [InlineData("TRWJAZW128F42760DD_test", 22050, 2, 660340L)]
    [InlineData("joram-moments_of_clarity-08-solipsism-59-88", 16000, 1, null)]
    public void Song_matches_ffmpeg(string name, int rate, int channels, long? declaredFrames)
    {
        var mp3 = SharedData.Require("audio", name + ".mp3");
        var expected = SharedData.Npy("fixtures", "decode", name + "_ffmpeg.npy");
        using var d = Mp3Decoder.Open(mp3);
        Assert.Equal(rate, d.SampleRate);
        Assert.Equal(channels, d.Channels);
        Assert.Equal(declaredFrames, d.TotalFrames);

        // Read in odd-sized blocks to exercise the streaming path.
        var got = new List<float>();
        var block = new float[1001 * channels];
        int n;
        while ((n = d.Read(block)) > 0) got.AddRange(block.AsSpan(0, n * channels));

        Assert.Equal(expected.Shape[0], got.Count / channels);
        var exp = expected.ToFloat32();
        double max = Tolerance.MaxAbsDiff(exp, got.ToArray());
        log.WriteLine($"{name}: max |diff| vs ffmpeg {max:E3} (limit 1e-4)");
        Tolerance.AllClose(exp, got.ToArray(), abs: 1e-4, what: name);
    }
}
