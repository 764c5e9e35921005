using System.Security.Cryptography;
using System.Text;

namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// SHA-256 and git's blob SHA-1 (sha1 of "blob &lt;length&gt;\0" + bytes) of one content in one pass: the hub names
/// LFS files by the first and small files by the second, and the store records SHA-256 for everything.
/// The git header needs the length up front, so the caller states it (the advertised or actual size). The SHA-1 is
/// computed only when asked for (small files): a 1.3 GB LFS checkpoint is hashed once.
/// </summary>
public sealed class ContentHasher : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? _gitSha1;

    public ContentHasher(long length, bool gitBlobSha1 = true)
    {
        if (!gitBlobSha1) return;
        _gitSha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        _gitSha1.AppendData(Encoding.ASCII.GetBytes($"blob {length}\0"));
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _gitSha1?.AppendData(data);
    }

    /// <summary>The SHA-256, and the git blob SHA-1 ("" when it was not asked for).</summary>
    public (string Sha256, string GitBlobSha1) Finish() =>
        (Convert.ToHexString(_sha256.GetHashAndReset()).ToLowerInvariant(), _gitSha1 is null ? "" : Convert.ToHexString(_gitSha1.GetHashAndReset()).ToLowerInvariant());

    public static (string Sha256, string GitBlobSha1) OfFile(string path, CancellationToken ct, bool gitBlobSha1 = true)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hasher = new ContentHasher(stream.Length, gitBlobSha1);
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            hasher.Append(buffer.AsSpan(0, n));
        }
        return hasher.Finish();
    }

    public static bool Matches(ContentHash expected, (string Sha256, string GitBlobSha1) actual) =>
        string.Equals(expected.Kind == ContentHashKind.Sha256 ? actual.Sha256 : actual.GitBlobSha1, expected.Hex, StringComparison.OrdinalIgnoreCase);

    public void Dispose()
    {
        _sha256.Dispose();
        _gitSha1?.Dispose();
    }
}
