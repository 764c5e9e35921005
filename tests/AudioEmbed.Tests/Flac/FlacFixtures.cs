using System.Security.Cryptography;
using System.Text.Json;
using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>Access to ../shared/fixtures/flac: the reference facts of index.json and full integer decodes.</summary>
internal static class FlacFixtures
{
    public sealed record Entry(string File, long DecodedFrames, int Channels, int Bits, string Sha256, string Md5);

    private static readonly Lazy<Dictionary<string, JsonElement>> Index = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Require("fixtures", "flac", "index.json")));
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("file").GetString()!, e => e.Clone());
    });

    public static string Path(string file) => SharedData.Require("fixtures", "flac", file);

    public static Entry Get(string file)
    {
        SharedData.Require("fixtures", "flac", "index.json");
        var e = Index.Value[file];
        return new Entry(file, e.GetProperty("decoded_sample_frames").GetInt64(), e.GetProperty("decoded_channels").GetInt32(),
            e.GetProperty("decoded_bits").GetInt32(), e.GetProperty("sha256_int32le_interleaved").GetString()!,
            e.GetProperty("md5_flac_style").GetString()!);
    }

    /// <summary>Decodes a whole stream through the bit-exact integer path, reading <paramref name="chunkFrames"/> frames per call.</summary>
    public static int[] DecodeInts(FlacDecoder decoder, int chunkFrames = 4096)
    {
        var all = new List<int>();
        var chunk = new int[chunkFrames * decoder.Channels];
        int n;
        while ((n = decoder.ReadInt32(chunk)) > 0) all.AddRange(chunk.AsSpan(0, n * decoder.Channels));
        return all.ToArray();
    }

    public static string Sha256OfInt32Le(int[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length); // little-endian on every platform .NET runs the tests on
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        return Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }
}
