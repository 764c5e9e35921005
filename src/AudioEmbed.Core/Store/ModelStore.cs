using AudioEmbed.Core.Models;

namespace AudioEmbed.Core.Store;

/// <summary>
/// The model store: converted ONNX models with their manifests under &lt;home&gt;/models/&lt;family&gt;/&lt;variant&gt;.
/// Installing verifies the pinned SHA-256 of every source file, converts in a staging folder and renames
/// it into place, so a failed or concurrent install never leaves a half-written model behind.
/// </summary>
public sealed partial class ModelStore
{
    public ModelStore(string home, ModelCatalog catalog)
    {
        Home = Path.GetFullPath(home);
        Catalog = catalog;
    }

    public string Home { get; }
    public ModelCatalog Catalog { get; }

    public string VariantDirectory(ModelFamilyInfo family, string variantName) =>
        Path.Combine(Home, "models", family.Folder, variantName);

    /// <summary>The installed model of a catalog variant or of a custom name given at install; null when not installed.</summary>
    public InstalledModel? Find(string familyName, string? variantName)
    {
        var family = Catalog.Family(familyName);
        string name = CanonicalName(family, variantName);
        var dir = VariantDirectory(family, name);
        var manifestPath = Path.Combine(dir, ModelManifest.FileName);
        if (!File.Exists(manifestPath) || !File.Exists(Path.Combine(dir, ModelManifest.OnnxFileName)))
        {
            if (!family.Variants.Any(v => v.Name == name))
                throw new ModelStoreException($"Unknown variant '{name}' of {family.Name}: it is neither in the catalog ({string.Join(", ", family.Variants.Select(v => v.Name))}) nor installed under that name in '{Path.Combine(Home, "models", family.Folder)}'.");
            return null;
        }
        return new InstalledModel(dir, ModelManifest.Load(manifestPath));
    }

    /// <summary>A catalog variant's own spelling when the name matches one (case-insensitively), else the name as given.</summary>
    private static string CanonicalName(ModelFamilyInfo family, string? variantName)
    {
        variantName ??= family.DefaultVariant;
        return family.Variants.FirstOrDefault(v => string.Equals(v.Name, variantName, StringComparison.OrdinalIgnoreCase))?.Name ?? variantName;
    }

    /// <summary>Custom checkpoints installed with -Name, found by their manifests.</summary>
    private IEnumerable<InstalledModel> CustomModels(ModelFamilyInfo family)
    {
        var dir = Path.Combine(Home, "models", family.Folder);
        if (!Directory.Exists(dir)) yield break;
        foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            var manifestPath = Path.Combine(sub, ModelManifest.FileName);
            if (!File.Exists(manifestPath)) continue;
            ModelManifest manifest;
            try { manifest = ModelManifest.Load(manifestPath); } catch (ModelStoreException) { continue; }
            if (manifest.Custom) yield return new InstalledModel(sub, manifest);
        }
    }

    public IEnumerable<ModelStatus> List(string? familyName = null)
    {
        foreach (var family in Catalog.Families)
        {
            if (familyName != null && !string.Equals(family.Name, familyName, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var variant in family.Variants)
            {
                InstalledModel? installed = null;
                try { installed = Find(family.Name, variant.Name); } catch (ModelStoreException) { }
                yield return new ModelStatus
                {
                    Model = family.Name,
                    Variant = variant.Name,
                    IsDefault = variant.Name == family.DefaultVariant,
                    Available = family.Available,
                    Installed = installed != null,
                    License = variant.License,
                    SampleRate = family.SampleRate,
                    DefaultLayer = variant.DefaultLayer,
                    Dimension = variant.Layers.TryGetValue(variant.DefaultLayer, out var d) ? d : 0,
                    Layers = variant.Layers.Keys.ToArray(),
                    SizeBytes = installed?.SizeBytes,
                    Location = installed?.Directory,
                    InstalledUtc = installed?.Manifest.InstalledUtc,
                    Description = variant.Description,
                };
            }
            foreach (var custom in CustomModels(family))
            {
                var m = custom.Manifest;
                yield return new ModelStatus
                {
                    Model = family.Name,
                    Variant = m.Variant,
                    Available = family.Available,
                    Installed = true,
                    License = m.License,
                    SampleRate = m.SampleRate,
                    DefaultLayer = m.DefaultLayer,
                    Dimension = m.Layers.TryGetValue(m.DefaultLayer, out var d) ? d : 0,
                    Layers = m.Layers.Keys.ToArray(),
                    SizeBytes = custom.SizeBytes,
                    Location = custom.Directory,
                    InstalledUtc = m.InstalledUtc,
                    Description = $"Custom checkpoint with the architecture of {m.BaseVariant}",
                };
            }
        }
    }

    /// <summary>
    /// A catalog variant under a non-commercial licence needs the user's acceptance (a checkpoint of the user's own,
    /// installed with a custom name, carries its own licence). Returns whether acceptance was required.
    /// </summary>
    public static bool RequireLicenseAccepted(ModelVariantInfo variant, string? customName, bool accepted)
    {
        bool required = customName is null && variant.NonCommercial;
        if (required && !accepted)
            throw new ModelStoreException($"{variant.LicenseNotice} Read it, then install with -AcceptLicense to accept it. Nothing was installed.");
        return required;
    }

    /// <summary>The lock file beside a variant's folder: held while it is installed or its Int8 copy is made.</summary>
    private static string InstallLockPath(string variantDirectory) =>
        variantDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".lock";

    /// <summary>
    /// Installs a variant from <paramref name="sourcePath"/> (a checkpoint file, or a folder holding the
    /// catalog's file names) or, when it is null, by downloading the pinned files. With <paramref name="customName"/>,
    /// installs a checkpoint that is not in the catalog (a fine-tuned one) under that name, with the architecture
    /// of <paramref name="variantName"/>: its hash is recorded rather than checked. A catalog variant under a
    /// non-commercial licence installs only with <paramref name="acceptLicense"/>.
    /// </summary>
    public InstalledModel Install(string familyName, string? variantName, string? sourcePath, bool force,
        IProgress<InstallProgress>? progress, CancellationToken ct, string? customName = null, bool acceptLicense = false)
    {
        var family = Catalog.Family(familyName);
        family.EnsureAvailable();
        var variant = family.Variant(variantName);
        bool askLicense = RequireLicenseAccepted(variant, customName, acceptLicense);
        var converter = ModelFamilies.Get(family.Name);
        if (customName != null)
        {
            ValidateCustomName(family, customName);
            if (sourcePath is null) throw new ModelStoreException($"A custom checkpoint ('{customName}') installs from -SourcePath only: there is nothing to download.");
        }
        string installName = customName ?? variant.Name;
        var finalDir = VariantDirectory(family, installName);
        var familyDir = Path.GetDirectoryName(finalDir)!;
        Directory.CreateDirectory(familyDir);

        using var installLock = StoreLock.Acquire(InstallLockPath(finalDir), ct);
        if (!force && Directory.Exists(finalDir) && Find(family.Name, installName) is { } existing) return existing;

        var staging = Path.Combine(familyDir, $".staging-{installName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            var installedSources = new List<InstalledSource>();
            foreach (var file in variant.Files)
            {
                ct.ThrowIfCancellationRequested();
                string local, origin, sha;
                bool pinned = customName is null && !string.IsNullOrEmpty(file.Sha256);
                if (sourcePath != null)
                {
                    local = ResolveSource(sourcePath, file, variant);
                    origin = local;
                    progress?.Report(new InstallProgress($"Verifying {Path.GetFileName(local)}", 0, null));
                    sha = FileHash.Sha256(local);
                    if (pinned && !string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
                        throw new ModelStoreException($"'{local}' has SHA-256 {sha}, but {family.Name} {variant.Name} pins {file.Name} to {file.Sha256}: it is not the expected checkpoint. Nothing was installed. (A fine-tuned checkpoint installs under a name of yours: -Name.)");
                }
                else
                {
                    if (!pinned)
                        throw new ModelStoreException($"This catalog pins no SHA-256 for {file.Name} of {family.Name} {variant.Name}, so it is not downloaded blindly: download it from {file.Url} yourself and install it with -SourcePath.");
                    local = Path.Combine(staging, file.Name);
                    origin = Downloader.SourceOf(file, family.Folder);
                    // Partial downloads live outside the staging folder, keyed by the pinned hash, so a retry resumes.
                    string partial = Path.Combine(Home, "downloads", file.Sha256.ToLowerInvariant() + ".partial");
                    Downloader.Download(file, origin, local, partial, progress, ct);
                    sha = file.Sha256.ToLowerInvariant();
                }
                sources[file.Name] = local;
                installedSources.Add(new InstalledSource { Name = file.Name, Sha256 = sha, Size = new FileInfo(local).Length, Origin = origin, Pinned = pinned });
            }

            progress?.Report(new InstallProgress($"Converting {family.Name} {variant.Name} to ONNX", 0, null));
            var onnxPath = Path.Combine(staging, ModelManifest.OnnxFileName);
            using (var onnx = new FileStream(onnxPath, FileMode.CreateNew, FileAccess.Write))
            {
                converter.Convert(variant, sources, onnx);
                onnx.Flush(true);
            }
            foreach (var f in variant.Files) // downloaded checkpoints are not needed once converted
                if (sourcePath == null) File.Delete(Path.Combine(staging, f.Name));

            var layers = converter.Layers(variant, onnxPath);
            new ModelManifest
            {
                Family = family.Name,
                Variant = installName,
                Custom = customName != null,
                BaseVariant = customName != null ? variant.Name : null,
                Architecture = variant.Architecture,
                License = variant.License,
                SampleRate = family.SampleRate,
                DefaultLayer = layers.ContainsKey(variant.DefaultLayer) ? variant.DefaultLayer : layers.Keys.First(),
                Layers = new Dictionary<string, int>(layers),
                Labels = variant.Labels != null && family.Labels.TryGetValue(variant.Labels, out var l) ? l : Array.Empty<string>(),
                Sources = installedSources,
                OnnxSha256 = FileHash.Sha256(onnxPath),
                ConverterVersion = typeof(ModelStore).Assembly.GetName().Version?.ToString() ?? "0",
                InstalledUtc = DateTime.UtcNow,
                LicenseAcceptedUtc = askLicense ? DateTime.UtcNow : null,
            }.Save(Path.Combine(staging, ModelManifest.FileName));

            ReplaceDirectory(staging, finalDir);
            return Find(family.Name, installName) ?? throw new ModelStoreException($"The installed model at '{finalDir}' vanished right after installation.");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>A custom name becomes a folder name and a -Variant value: keep it plain and distinct from the catalog's.</summary>
    private static void ValidateCustomName(ModelFamilyInfo family, string name)
    {
        if (name.Length is 0 or > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
            throw new ModelStoreException($"'{name}' cannot name a model: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.");
        if (family.Variants.Any(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new ModelStoreException($"'{name}' is a catalog variant of {family.Name}; choose another -Name for a custom checkpoint.");
    }

    private static string ResolveSource(string sourcePath, ModelSourceFile file, ModelVariantInfo variant)
    {
        if (Directory.Exists(sourcePath))
        {
            var candidate = Path.Combine(sourcePath, file.Name);
            if (File.Exists(candidate)) return candidate;
            throw new ModelStoreException($"The folder '{sourcePath}' has no '{file.Name}', which {variant.Name} needs. Nothing was installed.");
        }
        if (File.Exists(sourcePath))
        {
            if (variant.Files.Count == 1) return sourcePath;
            throw new ModelStoreException($"{variant.Name} needs {variant.Files.Count} files ({string.Join(", ", variant.Files.Select(f => f.Name))}): give -SourcePath the folder that holds them.");
        }
        throw new ModelStoreException($"The source path '{sourcePath}' does not exist. Nothing was installed.");
    }

    /// <summary>Moves the staged folder into place; an older copy is moved aside first and deleted after.</summary>
    private static void ReplaceDirectory(string staging, string finalDir)
    {
        string? old = null;
        if (Directory.Exists(finalDir))
        {
            old = finalDir + ".old-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(finalDir, old);
        }
        Directory.Move(staging, finalDir);
        if (old != null) Directory.Delete(old, recursive: true);
    }
}
