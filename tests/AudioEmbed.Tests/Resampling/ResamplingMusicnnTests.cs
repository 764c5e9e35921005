using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// MusiCNN preprocessing of TRWJAZW (22050 Hz stereo): float32 mean downmix, resampy kaiser_best, librosa fix_length
/// (479158 computed + 1 zero). Expected bit-exact (tolerance 0) for both table generations.
/// </summary>
public class ResamplingMusicnnTests
{
    private const string Example = "TRWJAZW128F42760DD_test";

    [SkippableTheory]
    [InlineData(ResampyVersion.V0_2_2, "waveform_16k.npy")]
    [InlineData(ResampyVersion.V0_4_2, "alt_resampy_0.4.2/waveform_16k.npy")]
    public void DownmixResampleFixLengthMatchesLibrosa(ResampyVersion version, string expectedFile)
    {
        var decoded = SharedData.Npy("fixtures", "musicnn", Example, "decoded_native.npy");
        Assert.Equal(new[] { 660340, 2 }, decoded.Shape);
        var expected = SharedData.Npy(("fixtures/musicnn/" + Example + "/" + expectedFile).Split('/')).ToFloat32();
        Assert.Equal(479159, expected.Length);
        var interleaved = decoded.ToFloat32();

        var mono = Downmix.ToMono(interleaved, 2);
        var array = Resampy.ResampleFixLength(mono, 22050, 16000, ResampyFilter.KaiserBest, version);
        Tolerance.AllClose(expected, array, abs: 0, what: $"array path {version}");
        Assert.Equal(0f, array[^1]); // the fix_length zero

        using var stream = new ResampledSource(new MonoDownmixSource(new ResamplingArraySource(interleaved, 22050, 2, 1152)),
            16000, ResampyFilter.KaiserBest, version, fixLength: true);
        Assert.Equal(479159L, stream.TotalFrames);
        Tolerance.AllClose(expected, stream.ReadAll(), abs: 0, what: $"streaming path {version}");
    }
}
