using AudioEmbed.Core.Audio.Resampling;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// soxr HQ (librosa's res_type='soxr_hq') and torchaudio's functional.resample against the outputs of the real
/// libraries in ../shared/fixtures/resample24k (see its README): test signals at 16, 22.05, 32, 44.1 and 48 kHz and
/// two real songs at 44.1 kHz, all to 24 kHz.
/// </summary>
public class UpstreamResamplerFixtureTests(ITestOutputHelper output)
{
    /// <summary>libsoxr runs its DFT stages as float32 FFT convolutions, we as direct float32 sums.</summary>
    internal const double SoxrTolerance = 2e-5;
    /// <summary>The same closed-form kernel in float32; conv1d's and our summation orders differ.</summary>
    internal const double TorchaudioTolerance = 1e-5;

    public static TheoryData<string, int> Items => new()
    {
        { "synth_44100", 44100 }, { "synth_48000", 48000 }, { "synth_22050", 22050 }, { "synth_16000", 16000 },
        { "synth_32000", 32000 }, { "joram", 44100 }, { "TRWJAZW128F42760DD", 44100 },
    };

    internal static float[] Input(string name) => SharedData.Npy("fixtures", "resample24k", "inputs", name + ".npy").ToFloat32();

    internal static float[] Reference(string kind, string name) =>
        SharedData.Npy("fixtures", "resample24k", kind, name + "_to_24000.npy").ToFloat32();

    [SkippableTheory]
    [MemberData(nameof(Items))]
    public void SoxrHqMatchesLibsoxr(string name, int rate)
    {
        var x = Input(name);
        var expected = Reference("soxr_hq", name);
        var actual = Resamplers.SoxrHq(x, rate, 24000);
        // librosa computes ceil(n * (24000 / rate)) with the ratio in float64: for 88200 samples at 44.1 kHz (and
        // 44100 at 22.05 kHz) that is 48001, one more than the fixture's exact ceil(n * 24000 / rate); the extra
        // sample is fix_length's zero padding.
        Assert.Equal(Resamplers.LibrosaFixedLength(x.Length, rate, 24000), actual.Length);
        Assert.InRange(actual.Length - expected.Length, 0, 1);
        if (actual.Length > expected.Length) Assert.Equal(0f, actual[^1]);
        double err = Tolerance.MaxAbsDiff(expected, actual.AsSpan(0, expected.Length));
        output.WriteLine($"{name}: {Resamplers.DescribeSoxrHq(rate, 24000)}; max |diff| {err:E2}");
        Tolerance.AllClose(expected, actual.AsSpan(0, expected.Length), abs: SoxrTolerance, what: $"soxr HQ {name}");
    }

    [SkippableTheory]
    [MemberData(nameof(Items))]
    public void TorchaudioMatchesTorchaudio(string name, int rate)
    {
        var x = Input(name);
        var expected = Reference("torchaudio", name);
        var actual = Resamplers.Torchaudio(x, rate, 24000);
        output.WriteLine($"{name}: max |diff| {Tolerance.MaxAbsDiff(expected, actual):E2}");
        Tolerance.AllClose(expected, actual, abs: TorchaudioTolerance, what: $"torchaudio {name}");
    }
}
