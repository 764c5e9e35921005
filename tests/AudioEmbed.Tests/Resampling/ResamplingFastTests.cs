using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Resampling;

namespace AudioEmbed.Tests.Resampling;

/// <summary>
/// The polyphase fast path against resampy's own outputs. Tolerance 2e-6 abs: the resampy fixture README's bound for
/// the same table and algorithm with a different summation order (here float32 weights and a vectorised sum).
/// Lengths must be exact.
/// </summary>
public class ResamplingFastTests
{
    public static TheoryData<string, string, int, int> Cases()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var version in new[] { "0.4.2", "0.2.2" })
            foreach (var filter in new[] { "kaiser_best", "kaiser_fast" })
                foreach (var from in new[] { 44100, 48000, 22050 })
                    foreach (var to in new[] { 16000, 24000 })
                        data.Add(version, filter, from, to);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void FastPath_MatchesResampy_WithinTwoMillionths(string version, string filter, int from, int to)
    {
        var input = SharedData.Npy("fixtures", "resample", $"input_{from}.npy").ToFloat32();
        var expected = SharedData.Npy("fixtures", "resample", $"resampy_{version}", $"{filter}_{from}_to_{to}.npy").ToFloat32();
        var v = version == "0.4.2" ? ResampyVersion.V0_4_2 : ResampyVersion.V0_2_2;
        var f = filter == "kaiser_best" ? ResampyFilter.KaiserBest : ResampyFilter.KaiserFast;
        // Odd read sizes on both sides: the result must not depend on blocking.
        using var fast = FastResampledSource.TryCreate(new ResamplingArraySource(input, from, 1, maxFramesPerRead: 1001), to, f, v)!;
        Assert.NotNull(fast);
        var actual = ReadAll(fast, 777);
        Tolerance.AllClose(expected, actual, 2e-6, 0, $"{filter} {from}->{to} ({version})");
    }

    [SkippableFact]
    public void FastPath_WithFixLength_MatchesTheMusicnnWaveform()
    {
        var native = SharedData.Npy("fixtures", "musicnn", "TRWJAZW128F42760DD_test", "decoded_native.npy").ToFloat32();
        var expected = SharedData.Npy("fixtures", "musicnn", "TRWJAZW128F42760DD_test", "alt_resampy_0.4.2", "waveform_16k.npy").ToFloat32();
        using var mono = new MonoDownmixSource(new ResamplingArraySource(native, 22050, 2, maxFramesPerRead: 4096));
        using var fast = FastResampledSource.TryCreate(mono, 16000, ResampyFilter.KaiserBest, ResampyVersion.V0_4_2, fixLength: true)!;
        Assert.Equal(479159, fast.TotalFrames);
        var actual = ReadAll(fast, 16384);
        Tolerance.AllClose(expected, actual, 2e-6, 0, "TRWJAZW at 16 kHz");
    }

    [Fact]
    public void IrrationalLookingRatios_FallBackToTheExactLoop()
    {
        // 44100 → 16001 needs 16001 phases: too many for a table, so no fast resampler is offered.
        Assert.Null(FastResampledSource.TryCreate(new ResamplingArraySource(new float[10], 44100, 1), 16001));
        Assert.Null(FastResampledSource.TryCreate(new ResamplingArraySource(new float[10], 16000, 1), 16000));
    }

    [Fact]
    public void ShortAndEmptyInputs_HaveResampysLengths()
    {
        foreach (int length in new[] { 0, 1, 2, 5, 50, 137, 1000 })
        {
            var x = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i)).ToArray();
            using var fast = FastResampledSource.TryCreate(new ResamplingArraySource(x, 44100, 1), 16000, fixLength: true)!;
            Assert.Equal(Resampy.FixedLength(length, 44100, 16000), ReadAll(fast, 64).Length);
        }
    }

    private static float[] ReadAll(IAudioSource source, int block)
    {
        var all = new List<float>();
        var buffer = new float[block];
        int n;
        while ((n = source.Read(buffer)) > 0) all.AddRange(buffer.AsSpan(0, n));
        return all.ToArray();
    }
}
