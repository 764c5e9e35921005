using System.Text;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// One share of a library for several machines or jobs: "k/n" with 1 ≤ k ≤ n. A file belongs to the shard
/// chosen by a stable hash (FNV-1a) of its song name — the identity of its output file — so every machine
/// agrees whatever its mount points, and two songs that would write the same .npy land on the same machine.
/// </summary>
public readonly record struct Shard(int Number, int Count)
{
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int k) && int.TryParse(parts[1], out int n) && n >= 1 && k >= 1 && k <= n)
            return new Shard(k, n);
        throw new FormatException($"'{text}' is not a shard: write k/n with 1 <= k <= n, e.g. 2/4 for the second of four machines.");
    }

    public bool Owns(string audioPath)
    {
        if (Count <= 1) return true;
        // Either separator: a Windows path handled on Linux (or the reverse) must shard the same way.
        var fileName = audioPath[(audioPath.LastIndexOfAny(new[] { '/', '\\' }) + 1)..];
        var song = EmbeddingLayout.SafeFileName(Path.GetFileNameWithoutExtension(fileName)).ToLowerInvariant();
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(song)) { hash ^= b; hash *= 1099511628211UL; }
        return (int)(hash % (ulong)Count) == Number - 1;
    }

    public override string ToString() => $"{Number}/{Count}";
}
