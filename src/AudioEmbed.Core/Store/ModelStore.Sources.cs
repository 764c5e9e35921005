using AudioEmbed.Core.Store.HuggingFace;

namespace AudioEmbed.Core.Store;

/// <summary>
/// Where each checkpoint file of an install comes from, and how it is checked before anything is converted:
/// <list type="bullet">
/// <item>-SourcePath (a file, a folder of the catalog's file names, or a Hugging Face cache folder models--…): the catalog's
/// SHA-256 pin when there is one; a checkpoint of the user's (-Name) is recorded, not checked.</item>
/// <item>the Hugging Face cache: a blob must hash to its own name (the hash the hub advertised when it was cached) and to the pin.</item>
/// <item>a download: the pin decides when there is one; otherwise the hash the hub advertises for the revision (SHA-256 of an LFS
/// file, git blob SHA-1 of a small one) — no advertised hash, no install.</item>
/// </list>
/// </summary>
public sealed partial class ModelStore
{
    /// <summary>One file the converter needs: its key for the converter, where it lives on the hub and what it is pinned to.</summary>
    private sealed record PlannedSource(string Key, string RepoFile, string? Repository, string? Revision, string? PinnedSha256, long PinnedSize, ModelSourceFile? Catalog)
    {
        public string Describe() => Repository is null ? RepoFile : $"{RepoFile} of {Repository} at revision {Revision}";
    }

    private sealed record SourceContext(ModelFamilyInfo Family, ModelVariantInfo Variant, InstallRequest Request, string Staging, IProgress<InstallProgress>? Progress, CancellationToken Ct)
    {
        private HubSettings? _hub;
        public HubSettings Hub => _hub ??= HubSettings.FromEnvironment();
    }

    private sealed record AcquiredSource(string Path, InstalledSource Record);

    /// <summary>The files to fetch: the catalog's, or for -Repository the same names from that repository, the checkpoint named by -File.</summary>
    private static List<PlannedSource> PlanSources(ModelFamilyInfo family, ModelVariantInfo variant, InstallRequest request)
    {
        if (request.Repository is { } repository)
        {
            HubNames.ValidateRepository(repository);
            if (request.File != null) HubNames.ValidateFile(request.File);
            string revision = request.Revision ?? "main";
            return variant.Files.Select(f =>
            {
                bool checkpoint = !f.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
                string repoFile = checkpoint && request.File != null ? request.File : f.Name;
                return new PlannedSource(repoFile.Split('/')[^1], repoFile, repository, revision, null, 0, null);
            }).ToList();
        }
        bool custom = request.CustomName != null;
        if (request.File != null)
        {
            // -File with -SourcePath: the checkpoint's name in that folder (a cache folder of a fine-tuned repository).
            if (request.SourcePath is null || !custom)
                throw new ModelStoreException("-File names the checkpoint of a custom model (-Name) in a repository (-Repository) or a folder (-SourcePath); otherwise the catalog names the files.");
            HubNames.ValidateFile(request.File);
            return variant.Files.Select(f => f.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
                ? new PlannedSource(f.Name, f.Name, null, request.Revision, null, 0, f)
                : new PlannedSource(request.File.Split('/')[^1], request.File, null, request.Revision, null, 0, f)).ToList();
        }
        return variant.Files.Select(f => new PlannedSource(f.Name, f.Name, f.Repository, f.Repository is null ? null : request.Revision ?? f.Revision ?? "main",
            custom || !f.Pinned ? null : f.Sha256.ToLowerInvariant(), custom ? 0 : f.Size, f)).ToList();
    }

    private AcquiredSource Acquire(PlannedSource file, SourceContext c)
    {
        if (c.Request.SourcePath is { } sourcePath)
            return HubCache.IsRepositoryFolder(sourcePath)
                ? FromCache(file, sourcePath, c, required: true)!
                : FromSourcePath(file, sourcePath, c);
        if (file.Repository is null) return FromUrl(file, c);
        if (file.PinnedSha256 != null && !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Downloader.MirrorVariable)))
            return FromCache(file, HubCache.RepositoryFolder(file.Repository), c, required: false) ?? FromUrl(file, c); // a pinned file may come from the internal mirror
        return FromCache(file, HubCache.RepositoryFolder(file.Repository), c, required: false) ?? FromHub(file, c);
    }

    private static AcquiredSource FromSourcePath(PlannedSource file, string sourcePath, SourceContext c)
    {
        string local = ResolveSource(sourcePath, file, c.Variant);
        c.Progress?.Report(new InstallProgress($"Verifying {Path.GetFileName(local)}", 0, null));
        string sha = FileHash.Sha256(local);
        if (file.PinnedSha256 != null && !string.Equals(sha, file.PinnedSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelStoreException($"'{local}' has SHA-256 {sha}, but {c.Family.Name} {c.Variant.Name} pins {file.Describe()} to {file.PinnedSha256}: it is not the expected checkpoint. Nothing was installed. (A fine-tuned checkpoint installs under a name of yours: -Name.)");
        return new AcquiredSource(local, new InstalledSource
        {
            Name = file.Key, Sha256 = sha, Size = new FileInfo(local).Length, Origin = local, Pinned = file.PinnedSha256 != null,
            Verification = file.PinnedSha256 != null ? Verification.Pinned : Verification.Recorded, Via = SourceVia.SourcePath,
        });
    }

    private static string ResolveSource(string sourcePath, PlannedSource file, ModelVariantInfo variant)
    {
        if (Directory.Exists(sourcePath))
        {
            var candidate = Path.Combine(sourcePath, file.RepoFile.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(candidate)) return candidate;
            throw new ModelStoreException($"The folder '{sourcePath}' has no '{file.RepoFile}', which {variant.Name} needs. Nothing was installed.");
        }
        if (File.Exists(sourcePath))
        {
            if (variant.Files.Count == 1) return sourcePath;
            throw new ModelStoreException($"{variant.Name} needs {variant.Files.Count} files ({string.Join(", ", variant.Files.Select(f => f.Name))}): give -SourcePath the folder that holds them.");
        }
        throw new ModelStoreException($"The source path '{sourcePath}' does not exist. Nothing was installed.");
    }

    /// <summary>A plain pinned URL (MusiCNN's GitHub files), or the mirror in AUDIOEMBED_MODEL_MIRROR.</summary>
    private AcquiredSource FromUrl(PlannedSource file, SourceContext c)
    {
        var catalogFile = file.Catalog!;
        if (file.PinnedSha256 is null)
            throw new ModelStoreException($"This catalog pins no SHA-256 for {file.Describe()} of {c.Family.Name} {c.Variant.Name}, so it is not downloaded blindly: download it from {catalogFile.Url} yourself and install it with -SourcePath.");
        var local = Path.Combine(c.Staging, file.Key);
        var origin = Downloader.SourceOf(catalogFile, c.Family.Folder);
        // Partial downloads live outside the staging folder, keyed by the pinned hash, so a retry resumes.
        string partial = Path.Combine(Home, "downloads", file.PinnedSha256 + ".partial");
        Downloader.Download(catalogFile, origin, local, partial, c.Progress, c.Ct);
        return new AcquiredSource(local, new InstalledSource
        {
            Name = file.Key, Sha256 = file.PinnedSha256, Size = new FileInfo(local).Length, Origin = origin, Pinned = true,
            Verification = Verification.Pinned, Via = SourceVia.Download,
        });
    }

    /// <summary>
    /// The file from a Hugging Face cache folder. The requested revision's snapshot first (a commit, or what refs/&lt;branch&gt;
    /// holds); for a pinned file any snapshot whose bytes match the pin. Returns null when the cache does not hold it and
    /// <paramref name="required"/> is false; a file that is there but fails its check is refused, never skipped silently.
    /// </summary>
    private AcquiredSource? FromCache(PlannedSource file, string repoFolder, SourceContext c, bool required)
    {
        string repository = required || file.Repository is null ? RepositoryOfCacheFolder(repoFolder) : file.Repository; // -SourcePath: the folder's own repository
        string revision = file.Revision ?? "main";
        var what = $"{file.RepoFile} of {repository} at revision {revision}";
        if (!Directory.Exists(repoFolder))
            return required ? throw new ModelStoreException($"The Hugging Face cache folder '{repoFolder}' does not exist. Nothing was installed.") : null;

        var candidates = new List<string>();
        if (HubCache.ResolveRevision(repoFolder, revision) is { } commit) candidates.Add(commit);
        if (file.PinnedSha256 != null) candidates.AddRange(HubCache.Snapshots(repoFolder).Where(s => !candidates.Contains(s)));
        HubCacheEntry? entry = null;
        bool sawDangling = false;
        foreach (var snapshot in candidates)
        {
            var e = HubCache.Find(repoFolder, snapshot, file.RepoFile);
            if (e is null) continue;
            if (e.Dangling) { sawDangling = true; continue; }
            entry = e;
            break;
        }
        if (entry is null)
        {
            if (!required && !(sawDangling && c.Hub.Offline)) return null;
            throw new ModelStoreException($"The Hugging Face cache folder '{repoFolder}' has no usable {what}" +
                (sawDangling ? " (its snapshot link points to a blob that is missing: the download into the cache never finished or the blob was deleted)" : "") +
                ". Nothing was installed.");
        }

        c.Progress?.Report(new InstallProgress($"Verifying {file.RepoFile} in the Hugging Face cache", 0, null));
        var actual = ContentHasher.OfFile(entry.ContentPath!, c.Ct, gitBlobSha1: entry.NamedHash?.Kind == ContentHashKind.GitBlobSha1);
        var where = $"{what} in the Hugging Face cache ('{entry.ContentPath}', snapshot {entry.Commit})";
        string? checkedHash = null;
        if (entry.NamedHash is { } named)
        {
            if (!ContentHasher.Matches(named, actual))
                throw new ModelStoreException($"{where} does not match its own name: the blob is named for {named} but its content has {(named.Kind == ContentHashKind.Sha256 ? "SHA-256 " + actual.Sha256 : "git blob SHA-1 " + actual.GitBlobSha1)}. The cache is damaged: delete that blob and download it again. Nothing was installed.");
            checkedHash = named.ToString();
        }
        if (file.PinnedSha256 != null && !string.Equals(actual.Sha256, file.PinnedSha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelStoreException($"{where} has SHA-256 {actual.Sha256}, but {c.Family.Name} {c.Variant.Name} pins {file.RepoFile} to {file.PinnedSha256}: not the expected checkpoint. Nothing was installed.");
        string verification = file.PinnedSha256 != null ? Verification.Pinned : checkedHash != null ? Verification.Hub : Verification.Recorded;
        if (verification == Verification.Recorded && c.Request.CustomName is null)
        {
            // A plain copy (no blob name) of an unpinned file: nothing vouches for it but the hub, so ask the hub when we may.
            if (!required && !c.Hub.Offline) return null;
            throw new ModelStoreException($"{where} is a plain copy, not a link to a named blob, and the catalog pins no SHA-256 for it: it cannot be verified offline. Nothing was installed.");
        }
        return new AcquiredSource(entry.ContentPath!, new InstalledSource
        {
            Name = file.Key, Sha256 = actual.Sha256, Size = new FileInfo(entry.ContentPath!).Length, Origin = entry.SnapshotPath,
            Pinned = verification == Verification.Pinned, Verification = verification, Via = SourceVia.HuggingFaceCache,
            Repository = repository, Revision = revision, Commit = entry.Commit, CheckedHash = verification == Verification.Hub ? checkedHash : null,
        });
    }

    private static string RepositoryOfCacheFolder(string repoFolder)
    {
        var name = Path.GetFileName(repoFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        return name.StartsWith("models--", StringComparison.Ordinal) ? name["models--".Length..].Replace("--", "/") : name;
    }

    /// <summary>Downloads from the hub: the pin decides when there is one, else the hash the hub advertises for that revision.</summary>
    private AcquiredSource FromHub(PlannedSource file, SourceContext c)
    {
        var client = new HubClient(c.Hub);
        var meta = client.GetMetadata(file.Repository!, file.Revision!, file.RepoFile, c.Ct);
        ContentHash expected;
        string verification;
        if (file.PinnedSha256 != null)
        {
            if (meta.Hash is { Kind: ContentHashKind.Sha256 } advertised && advertised.Hex != file.PinnedSha256)
                throw new ModelStoreException($"{meta.Describe()}: the hub advertises SHA-256 {advertised.Hex}, but {c.Family.Name} {c.Variant.Name} pins {file.PinnedSha256}. The pinned hash decides: nothing was downloaded or installed.");
            expected = new ContentHash(ContentHashKind.Sha256, file.PinnedSha256);
            verification = Verification.Pinned;
        }
        else
        {
            expected = meta.Hash ?? throw new ModelStoreException($"{meta.Describe()}: the hub advertised no content hash (no X-Linked-Etag or ETag of 40 or 64 hex digits), and the catalog pins none, so it cannot be verified: refused. Nothing was installed.");
            verification = Verification.Hub;
        }
        long size = meta.Size ?? (file.PinnedSize > 0 ? file.PinnedSize : throw new ModelStoreException($"{meta.Describe()}: the hub advertised no size, so the download cannot be bounded: refused. Nothing was installed."));
        if (file.PinnedSize > 0 && size != file.PinnedSize)
            throw new ModelStoreException($"{meta.Describe()}: the hub advertises {size:N0} bytes, but the catalog pins {file.PinnedSize:N0}. Nothing was downloaded or installed.");

        var local = Path.Combine(c.Staging, file.Key);
        // Keyed by the expected hash: a resumed download only ever continues the same content.
        string partial = Path.Combine(Home, "downloads", expected.Hex + ".partial");
        var actual = client.Download(meta, expected, size, partial, local, c.Progress, c.Ct);
        return new AcquiredSource(local, new InstalledSource
        {
            Name = file.Key, Sha256 = actual.Sha256, Size = size, Origin = c.Hub.ResolveUrl(meta.Repository, meta.Revision, meta.File),
            Pinned = verification == Verification.Pinned, Verification = verification, Via = SourceVia.Download,
            Repository = meta.Repository, Revision = meta.Revision, Commit = meta.Commit, CheckedHash = verification == Verification.Hub ? expected.ToString() : null,
        });
    }

    /// <summary>
    /// The catalog variants whose files a folder holds, when each variant has files of its own (the seed pipeline's
    /// musicnn_keras/keras_checkpoints holds all four MusiCNN variants). Empty when the variants share file names (MERT).
    /// </summary>
    public IReadOnlyList<string> VariantsInFolder(string familyName, string folder)
    {
        var family = Catalog.Family(familyName);
        if (!Directory.Exists(folder) || HubCache.IsRepositoryFolder(folder)) return Array.Empty<string>();
        var names = family.Variants.SelectMany(v => v.Files.Select(f => f.Name)).ToList();
        if (names.Count != names.Distinct(StringComparer.OrdinalIgnoreCase).Count()) return Array.Empty<string>();
        return family.Variants.Where(v => v.Files.All(f => File.Exists(Path.Combine(folder, f.Name)))).Select(v => v.Name).ToList();
    }
}
