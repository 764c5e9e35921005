using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>
/// Builds a Hugging Face cache as huggingface_hub lays it out: models--owner--name/refs/&lt;branch&gt;,
/// snapshots/&lt;commit&gt;/&lt;file&gt; (a relative symlink into blobs/, or a plain copy as on Windows without symlink
/// rights) and blobs/&lt;sha256 for LFS files | git blob SHA-1 for small files&gt;.
/// </summary>
public sealed class HfCacheBuilder
{
    public HfCacheBuilder(string? root = null) => Root = root ?? TestStore.TempDir("hf-cache");

    public string Root { get; }

    public string RepoFolder(string repository) => Path.Combine(Root, "models--" + repository.Replace("/", "--"));

    /// <summary>Adds a snapshot; returns the snapshot folder.</summary>
    public string AddSnapshot(string repository, string commit, Dictionary<string, byte[]> files, string? branch = "main", bool symlinks = true)
    {
        var repo = RepoFolder(repository);
        var snapshot = Path.Combine(repo, "snapshots", commit);
        Directory.CreateDirectory(snapshot);
        Directory.CreateDirectory(Path.Combine(repo, "blobs"));
        foreach (var (name, content) in files)
        {
            var target = Path.Combine(snapshot, name);
            if (symlinks)
            {
                var blobName = HubRepo.IsLfs(name) ? LoopbackHub.Sha256(content) : LoopbackHub.GitBlobSha1(content);
                var blob = Path.Combine(repo, "blobs", blobName);
                File.WriteAllBytes(blob, content);
                File.CreateSymbolicLink(target, Path.GetRelativePath(snapshot, blob));
            }
            else File.WriteAllBytes(target, content);
        }
        if (branch != null)
        {
            Directory.CreateDirectory(Path.Combine(repo, "refs"));
            File.WriteAllText(Path.Combine(repo, "refs", branch), commit);
        }
        return snapshot;
    }

    public string BlobOf(string repository, string commit, string file) =>
        new FileInfo(Path.Combine(RepoFolder(repository), "snapshots", commit, file)).ResolveLinkTarget(true)!.FullName;
}
