namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// What the hub's resolve endpoint says of one file at one revision (a HEAD, redirects not followed):
/// the commit the revision resolved to (X-Repo-Commit), the content hash it advertises (X-Linked-Etag for LFS
/// files = SHA-256; ETag for small files = git blob SHA-1), the size (X-Linked-Size or Content-Length) and
/// where the bytes are (the CDN Location of an LFS file, else the resolve URL itself).
/// </summary>
public sealed record HubFileMetadata(string Repository, string Revision, string File, string? Commit, ContentHash? Hash, long? Size, Uri Location)
{
    /// <summary>"file of repository at revision (commit c)": how every message names the file.</summary>
    public string Describe() => $"{File} of {Repository} at revision {Revision}" + (Commit != null && Commit != Revision ? $" (commit {Commit})" : "");
}

/// <summary>A content hash the bytes must match: SHA-256 (LFS files, our pins) or git's blob SHA-1 (small files).</summary>
public sealed record ContentHash(ContentHashKind Kind, string Hex)
{
    /// <summary>Reads an ETag as the hub's client does (strip W/ and quotes): 64 hex digits = SHA-256, 40 = git blob SHA-1, else none.</summary>
    public static ContentHash? FromEtag(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag)) return null;
        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        value = value.Trim('"').ToLowerInvariant();
        if (!value.All(char.IsAsciiHexDigit)) return null;
        return value.Length switch
        {
            64 => new ContentHash(ContentHashKind.Sha256, value),
            40 => new ContentHash(ContentHashKind.GitBlobSha1, value),
            _ => null,
        };
    }

    public override string ToString() => $"{(Kind == ContentHashKind.Sha256 ? "SHA-256" : "git blob SHA-1")} {Hex}";
}

public enum ContentHashKind { Sha256, GitBlobSha1 }
