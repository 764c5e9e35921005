using System.Security.Cryptography;
using System.Text.Json;

namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// A failing fuzz input, saved as the seed it came from (a file in ../shared) plus the few edits that made it, with
/// the SHA-256 of the result: a few hundred bytes in the repository even when the seed is a 3 MB checkpoint.
/// </summary>
public sealed record FuzzRegression(string Target, string[] Seed, int MaxSeedBytes, MutationOp[] Ops, string Sha256)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static FuzzRegression Of(FuzzTarget target, string[] seed, IReadOnlyList<MutationOp> ops, byte[] input) =>
        new(target.Name, seed, target.MaxSeedBytes, ops.ToArray(), Hash(input));

    public static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>
    /// A seed path's first part when the seed is a small file made for fuzzing and kept in the repository (Fuzz/Seeds,
    /// for formats ../shared has no sample of), not in ../shared; the rest is its path below Fuzz/Seeds.
    /// </summary>
    public const string RepositorySeed = "@seeds";

    public static string SeedPath(string[] seed) =>
        seed.Length >= 2 && seed[0] == RepositorySeed
            ? Path.Combine(SharedData.RepoRoot, "tests", "AudioEmbed.Tests", "Fuzz", "Seeds", Path.Combine(seed[1..]))
            : SharedData.Require(seed);

    public static byte[] ReadSeed(string[] seed, int maxBytes)
    {
        var bytes = File.ReadAllBytes(SeedPath(seed));
        return bytes.Length > maxBytes ? bytes.AsSpan(0, maxBytes).ToArray() : bytes;
    }

    /// <summary>The input again, checked against the recorded hash (a changed seed file would replay something else).</summary>
    public byte[] Rebuild(string file)
    {
        var input = ByteMutator.Apply(ReadSeed(Seed, MaxSeedBytes), Ops);
        if (Hash(input) != Sha256)
            throw new InvalidDataException($"{file}: the rebuilt input's SHA-256 differs from the recorded one: the seed file changed");
        return input;
    }

    public string Save(string root)
    {
        string dir = Path.Combine(root, Target);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, Sha256[..16] + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
        return path;
    }

    public static FuzzRegression Load(string path) =>
        JsonSerializer.Deserialize<FuzzRegression>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty");
}
