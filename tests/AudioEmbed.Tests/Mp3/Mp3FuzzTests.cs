using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>
/// Deterministic mutation fuzzing (fixed seed, fixed number of cases, about two seconds): mutated fixture streams must either decode
/// to finite, bounded output or throw <see cref="AudioDecodeException"/>; any other exception or a hang fails.
/// </summary>
public class Mp3FuzzTests
{
    private static readonly string[] Seeds =
    {
        "l3-si.mp3", "l3-si_block.mp3", "l3-hecommon.mp3", "l3-he_free.mp3", "M2L3_noise.mp3",
        "mpeg25_11025_jstereo.mp3", "l3-nonstandard-sin1k0db_lame_vbrtag.mp3",
    };

    [SkippableFact]
    public void Mutated_streams_decode_or_fail_cleanly()
    {
        var inputs = Seeds.Select(s => File.ReadAllBytes(SharedData.Require("fixtures", "mp3", s))).ToArray();
        // Keep each case small (a dozen frames or so) so the whole test stays near two seconds.
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].Length > 8192) inputs[i] = inputs[i].AsSpan(0, 8192).ToArray();

        var rng = new Random(20261123);
        for (int c = 0; c < FuzzBudget.Cases(40); c++)
        {
            var data = Mutate(inputs[rng.Next(inputs.Length)], rng);
            var run = Task.Run(() => DecodeOrReject(data));
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), $"case {c}: decoder hung");
        }
    }

    private static bool DecodeOrReject(byte[] data)
    {
        try
        {
            using var d = Mp3Decoder.Open(new MemoryStream(data), "fuzz.mp3");
            var block = new float[4096 * d.Channels];
            long total = 0;
            int n;
            while ((n = d.Read(block)) > 0)
            {
                for (int i = 0; i < n * d.Channels; i++)
                    if (!float.IsFinite(block[i])) throw new Xunit.Sdk.XunitException("non-finite sample");
                total += n;
                // No frame is shorter than 24 bytes, and each gives at most 1152 samples.
                if (total > (data.Length / 24 + 2) * 1152L) throw new Xunit.Sdk.XunitException("unbounded output");
            }
            return true;
        }
        catch (AudioDecodeException e)
        {
            Assert.Contains("fuzz.mp3", e.Message);
            return false;
        }
    }

    private static byte[] Mutate(byte[] source, Random rng)
    {
        var data = (byte[])source.Clone();
        switch (rng.Next(5))
        {
            case 0: // random byte changes
                for (int k = rng.Next(1, 40); k > 0; k--) data[rng.Next(data.Length)] = (byte)rng.Next(256);
                break;
            case 1: // bit flips in the first frames (headers, side info)
                for (int k = rng.Next(1, 10); k > 0; k--) data[rng.Next(Math.Min(data.Length, 2048))] ^= (byte)(1 << rng.Next(8));
                break;
            case 2: // truncation
                data = data.AsSpan(0, rng.Next(data.Length)).ToArray();
                break;
            case 3: // a run of random bytes pasted in
            {
                int at = rng.Next(data.Length), len = rng.Next(1, 600);
                for (int i = at; i < Math.Min(data.Length, at + len); i++) data[i] = (byte)rng.Next(256);
                break;
            }
            default: // 0xFF runs, which look like sync words
            {
                int at = rng.Next(data.Length), len = rng.Next(1, 64);
                for (int i = at; i < Math.Min(data.Length, at + len); i++) data[i] = 0xFF;
                break;
            }
        }
        return data;
    }
}
