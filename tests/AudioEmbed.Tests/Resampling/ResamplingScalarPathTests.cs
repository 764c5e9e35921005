using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// The portable scalar path (used without AVX) against the resampy references, bit-exact (tolerance 0). Forcing it
/// is a process-wide switch, harmless to tests running alongside because both paths give identical samples.
/// </summary>
public class ResamplingScalarPathTests
{
    [SkippableTheory]
    [InlineData("0.2.2", "kaiser_best", 44100, 16000)]
    [InlineData("0.2.2", "kaiser_fast", 22050, 24000)]
    [InlineData("0.4.2", "kaiser_best", 48000, 16000)]
    [InlineData("0.4.2", "kaiser_fast", 22050, 16000)]
    public void ScalarPathMatchesResampyBitExact(string version, string filter, int from, int to)
    {
        var expected = ResamplingFixtureTests.Expected(version, filter, from, to);
        var input = ResamplingFixtureTests.Input(from);
        float[] actual;
        ResampyKernel.ForceScalar = true;
        try
        {
            actual = Resampy.Resample(input, from, to, ResamplingFixtureTests.Filter(filter), ResamplingFixtureTests.Version(version));
        }
        finally
        {
            ResampyKernel.ForceScalar = false;
        }
        Tolerance.AllClose(expected, actual, abs: 0, what: $"scalar path, resampy {version} {filter} {from}->{to}");
    }
}
