using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AudioEmbed.Tests.Flac;

/// <summary>
/// Deterministic mutation fuzzing (about 2 s): mutated fixtures must either decode or throw
/// <see cref="AudioDecodeException"/>: no other exception, no hang. Half the mutations re-seal the frame
/// CRC-16 so the garbage reaches the subframe, residual and predictor code instead of stopping at the CRC.
/// </summary>
public class FlacMutationFuzzTests(ITestOutputHelper output)
{
    private const int MinIterations = 60;
    private const int MaxIterations = 2000;
    private static readonly TimeSpan Budget = FuzzBudget.Duration;

    private static readonly string[] Files =
    {
        "subset-60-mono_audio.flac",
        "subset-38-3_channels_3.0.flac",
        "subset-64-rice_partitions_with_escape_code_zero.flac",
        "subset-22-12_bit_per_sample.flac",
    };

    [SkippableFact]
    public void MutatedFiles_DecodeOrFailCleanly()
    {
        var sources = Files.Select(f =>
        {
            // The first 12 frames only (cut at a frame boundary, so the base decodes cleanly): many more mutations per second.
            var whole = File.ReadAllBytes(FlacFixtures.Path(f));
            var frames = FlacTestFrames.Spans(whole, 4096).Take(12).ToList();
            var (lastOffset, lastLength) = frames[^1];
            return (Name: f, Bytes: whole[..(lastOffset + lastLength)], Frames: frames);
        }).ToArray();

        var random = new Random(20261124);
        var clock = Stopwatch.StartNew();
        int iterations = 0, decoded = 0, rejected = 0;
        string? failure = null;
        // One watchdog thread for the whole loop (not a pool task per iteration, which starves when the
        // test host is busy): a decoder that hangs fails the test instead of hanging it.
        var worker = new Thread(() =>
        {
            // A fixed minimum keeps the test meaningful on a loaded machine; the clock only adds more.
            while (iterations < MinIterations || (clock.Elapsed < Budget && iterations < MaxIterations))
            {
                var (name, clean, frames) = sources[iterations % sources.Length];
                var (mutated, how) = Mutate(clean, frames, random);
                bool verify = random.Next(2) == 0;
                iterations++;
                try
                {
                    using var decoder = FlacDecoder.Open(new MemoryStream(mutated), name, verify);
                    var buffer = new float[4096 * decoder.Channels];
                    while (decoder.Read(buffer) > 0) { }
                    decoded++;
                }
                catch (AudioDecodeException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    failure = $"iteration {iterations} ({name}, {how}) threw {e}";
                    return;
                }
            }
        });
        worker.Start();
        if (!worker.Join(TimeSpan.FromSeconds(60)))
            throw new XunitException($"mutation {iterations} did not finish: the decoder hangs");
        if (failure != null) throw new XunitException(failure);
        output.WriteLine($"{iterations} mutations in {clock.Elapsed.TotalSeconds:F1} s: {decoded} decoded, {rejected} rejected with AudioDecodeException");
        Assert.True(rejected > 0, "no mutation was rejected: the fuzzer is not reaching the checks");
    }

    private static (byte[] Bytes, string How) Mutate(byte[] clean, List<(int Offset, int Length)> frames, Random random)
    {
        var bytes = (byte[])clean.Clone();
        int audioStart = frames[0].Offset;
        switch (random.Next(5))
        {
            case 0:
            {
                int at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return (bytes, $"bit flip at {at}");
            }
            case 1:
            {
                int at = random.Next(audioStart);
                bytes[at] = (byte)random.Next(256);
                return (bytes, $"metadata byte {at} overwritten");
            }
            case 2:
            {
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            }
            default:
            {
                var (offset, length) = frames[random.Next(frames.Count)];
                int runLength = 1 + random.Next(8);
                int at = offset + 16 + random.Next(Math.Max(1, length - 18 - runLength));
                for (int i = at; i < at + runLength && i < offset + length - 2; i++) bytes[i] = (byte)random.Next(256);
                FlacTestFrames.Reseal(bytes, offset, length);
                return (bytes, $"frame at {offset}: {runLength} bytes at {at} randomised, CRC-16 resealed");
            }
        }
    }
}
