using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Wav;
using Xunit.Abstractions;

namespace AudioEmbed.Tests.Wav;

/// <summary>
/// Deterministic mutation fuzzing of the fixture WAVs (and the AIFF test files) (byte flips biased to the header, inserted bytes, truncation),
/// bounded to about two seconds: each mutant must decode or throw <see cref="AudioDecodeException"/>, nothing else,
/// must finish, and can never yield more samples than it has bytes. <see cref="WavDecoder.Probe"/> must never throw.
/// </summary>
public class WavFuzzTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void MutatedFixtures_DecodeOrFailCleanly()
    {
        var dir = SharedData.Require("fixtures", "wav");
        var aiffDir = Path.Combine(SharedData.RepoRoot, "tests", "AudioEmbed.Tests", "Wav", "Data");
        var originals = Directory.GetFiles(dir, "*.wav").Concat(Directory.GetFiles(aiffDir, "*.aif*"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var rng = new Random(20261124);
        var clock = Stopwatch.StartNew();
        var block = new float[1024 * 8];
        int mutants = 0, decoded = 0, rejected = 0;

        while (clock.Elapsed < FuzzBudget.Duration)
        {
            var bytes = Mutate(originals[rng.Next(originals.Length)], rng);
            mutants++;
            WavDecoder.Probe(bytes.AsSpan(0, Math.Min(bytes.Length, 512)));
            try
            {
                Stream stream = rng.Next(4) == 0 ? new WavNonSeekableStream(new MemoryStream(bytes), 1 + rng.Next(300)) : new MemoryStream(bytes);
                using var decoder = WavDecoder.Open(stream, $"mutant{mutants}.wav");
                long samples = 0;
                int frames;
                var span = block.AsSpan(0, Math.Min(block.Length, decoder.Channels * (1 + rng.Next(1024))));
                while ((frames = decoder.Read(span)) > 0)
                {
                    samples += (long)frames * decoder.Channels;
                    Assert.True(samples <= bytes.Length, $"mutant {mutants}: {samples} samples from {bytes.Length} bytes");
                }
                decoded++;
            }
            catch (AudioDecodeException e)
            {
                Assert.Contains($"mutant{mutants}.wav", e.Message);
                rejected++;
            }
        }
        output.WriteLine($"{mutants} mutants: {decoded} decoded, {rejected} rejected with AudioDecodeException");
        Assert.True(mutants >= 200, $"only {mutants} mutants in two seconds");
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}: the mutations should produce both");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var bytes = new List<byte>(original);
        int edits = 1 + rng.Next(6);
        for (int i = 0; i < edits && bytes.Count > 0; i++)
        {
            // Most damage goes to the first 128 bytes, where the header decisions are made.
            int at = rng.Next(3) > 0 ? rng.Next(Math.Min(bytes.Count, 128)) : rng.Next(bytes.Count);
            switch (rng.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: bytes[at] = (byte)rng.Next(256); break;
                case 2: bytes.InsertRange(at, Enumerable.Range(0, 1 + rng.Next(8)).Select(_ => (byte)rng.Next(256))); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + rng.Next(8))); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break; // truncate
            }
        }
        return bytes.ToArray();
    }
}
