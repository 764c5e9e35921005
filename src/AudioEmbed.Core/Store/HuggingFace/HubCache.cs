namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// The Hugging Face cache that the Python pipeline already filled: HF_HUB_CACHE, else HF_HOME/hub, else
/// ~/.cache/huggingface/hub (the user profile's .cache on Windows too). A repository lives in models--owner--name
/// with refs/&lt;branch&gt; (a commit), snapshots/&lt;commit&gt;/&lt;file&gt; (a symlink into blobs/, or a plain copy where
/// symlinks are not allowed) and blobs/&lt;hash&gt; (SHA-256 for LFS files, git blob SHA-1 for small ones).
/// Only reads: the cache belongs to the user's other tools and is never changed or deleted here.
/// </summary>
public static class HubCache
{
    public const string CacheVariable = "HF_HUB_CACHE";
    public const string HomeVariable = "HF_HOME";

    public static string HfHome()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(home)) return Path.GetFullPath(home);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = !string.IsNullOrWhiteSpace(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "huggingface");
    }

    public static string DefaultRoot()
    {
        var cache = Environment.GetEnvironmentVariable(CacheVariable);
        if (string.IsNullOrWhiteSpace(cache)) cache = Environment.GetEnvironmentVariable("HUGGINGFACE_HUB_CACHE"); // the older name
        return !string.IsNullOrWhiteSpace(cache) ? Path.GetFullPath(cache) : Path.Combine(HfHome(), "hub");
    }

    /// <summary>The repository's folder in the cache (whether or not it exists).</summary>
    public static string RepositoryFolder(string repository, string? root = null) =>
        Path.Combine(root ?? DefaultRoot(), HubNames.CacheFolder(repository));

    /// <summary>A folder that looks like one repository's cache (models--…, or holding snapshots/).</summary>
    public static bool IsRepositoryFolder(string folder) =>
        Directory.Exists(Path.Combine(folder, "snapshots"))
        && (Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)).StartsWith("models--", StringComparison.Ordinal)
            || Directory.Exists(Path.Combine(folder, "blobs")));

    /// <summary>
    /// The commit a revision names in this cache: a commit hash whose snapshot exists, or the commit refs/&lt;revision&gt; holds.
    /// Null when the cache does not know the revision.
    /// </summary>
    public static string? ResolveRevision(string repoFolder, string revision)
    {
        if (HubNames.IsCommit(revision)) return Directory.Exists(Path.Combine(repoFolder, "snapshots", revision)) ? revision : null;
        if (revision.Split('/').Any(p => p is "" or "." or "..") || revision.Contains('\\')) return null;
        var refFile = Path.Combine(repoFolder, "refs", revision);
        try
        {
            if (!File.Exists(refFile)) return null;
            var commit = File.ReadAllText(refFile).Trim();
            return HubNames.IsCommit(commit) && Directory.Exists(Path.Combine(repoFolder, "snapshots", commit)) ? commit : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Every snapshot commit held, newest folder first (for a pinned file, any snapshot holding the pinned bytes will do).</summary>
    public static IEnumerable<string> Snapshots(string repoFolder)
    {
        var dir = Path.Combine(repoFolder, "snapshots");
        if (!Directory.Exists(dir)) return Array.Empty<string>();
        return new DirectoryInfo(dir).GetDirectories().Where(d => HubNames.IsCommit(d.Name)).OrderByDescending(d => d.LastWriteTimeUtc).Select(d => d.Name);
    }

    /// <summary>
    /// The cached file of a snapshot, or null when the snapshot lacks it (a dangling symlink counts as lacking it:
    /// its blob was deleted or never finished). Says whether it is a link into blobs/ and the blob's name.
    /// </summary>
    public static HubCacheEntry? Find(string repoFolder, string commit, string file)
    {
        HubNames.ValidateFile(file);
        var path = Path.Combine(repoFolder, "snapshots", commit, file.Replace('/', Path.DirectorySeparatorChar));
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
            return info.Exists ? new HubCacheEntry(path, commit, path, null) : null;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        if (target is null || !target.Exists) return new HubCacheEntry(path, commit, null, null) { Dangling = true };
        var blobs = Path.GetFullPath(Path.Combine(repoFolder, "blobs")) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(target.FullName);
        string? blobName = full.StartsWith(blobs, StringComparison.Ordinal) ? Path.GetFileName(full) : null;
        return new HubCacheEntry(path, commit, full, blobName);
    }
}

/// <summary>
/// One file in a cache snapshot. <see cref="ContentPath"/> is the bytes (the blob a link points to, or the plain copy);
/// <see cref="BlobName"/> the blob's name, which is the hash the hub advertised for it.
/// </summary>
public sealed record HubCacheEntry(string SnapshotPath, string Commit, string? ContentPath, string? BlobName)
{
    public bool Dangling { get; init; }

    /// <summary>The hash the blob's name promises (null for a plain copy or an oddly named blob).</summary>
    public ContentHash? NamedHash => ContentHash.FromEtag(BlobName);
}
