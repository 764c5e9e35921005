using AudioEmbed.Core.Models;

namespace AudioEmbed.Core.Store;

/// <summary>
/// The model store: converted ONNX models with their manifests under &lt;home&gt;/models/&lt;family&gt;/&lt;variant&gt;.
/// Installing verifies the pinned SHA-256 of every source file, converts in a staging folder and renames
/// it into place, so a failed or concurrent install never leaves a half-written model behind.
/// </summary>
public sealed class ModelStore
{
    public ModelStore(string home, ModelCatalog catalog)
    {
        Home = Path.GetFullPath(home);
        Catalog = catalog;
    }

    public string Home { get; }
    public ModelCatalog Catalog { get; }

    public string VariantDirectory(ModelFamilyInfo family, ModelVariantInfo variant) =>
        Path.Combine(Home, "models", family.Folder, variant.Name);

    public InstalledModel? Find(string familyName, string? variantName)
    {
        var family = Catalog.Family(familyName);
        var variant = family.Variant(variantName);
        var dir = VariantDirectory(family, variant);
        var manifestPath = Path.Combine(dir, ModelManifest.FileName);
        if (!File.Exists(manifestPath) || !File.Exists(Path.Combine(dir, ModelManifest.OnnxFileName))) return null;
        return new InstalledModel(dir, ModelManifest.Load(manifestPath));
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
        }
    }

    /// <summary>
    /// Installs a variant from <paramref name="sourcePath"/> (a checkpoint file, or a folder holding the
    /// catalog's file names) or, when it is null, by downloading the pinned files.
    /// </summary>
    public InstalledModel Install(string familyName, string? variantName, string? sourcePath, bool force,
        IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        var family = Catalog.Family(familyName);
        family.EnsureAvailable();
        var variant = family.Variant(variantName);
        var converter = ModelFamilies.Get(family.Name);
        var finalDir = VariantDirectory(family, variant);
        var familyDir = Path.GetDirectoryName(finalDir)!;
        Directory.CreateDirectory(familyDir);

        using var installLock = StoreLock.Acquire(Path.Combine(familyDir, variant.Name + ".lock"), ct);
        if (!force && Find(family.Name, variant.Name) is { } existing) return existing;

        var staging = Path.Combine(familyDir, $".staging-{variant.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            var installedSources = new List<InstalledSource>();
            foreach (var file in variant.Files)
            {
                ct.ThrowIfCancellationRequested();
                string local, origin;
                if (sourcePath != null)
                {
                    local = ResolveSource(sourcePath, file, variant);
                    origin = local;
                    progress?.Report(new InstallProgress($"Verifying {Path.GetFileName(local)}", 0, null));
                    string actual = FileHash.Sha256(local);
                    if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                        throw new ModelStoreException($"'{local}' has SHA-256 {actual}, but {family.Name} {variant.Name} pins {file.Name} to {file.Sha256}: it is not the expected checkpoint. Nothing was installed.");
                }
                else
                {
                    local = Path.Combine(staging, file.Name);
                    origin = Downloader.SourceOf(file, family.Folder);
                    Downloader.Download(file, origin, local, progress, ct);
                }
                sources[file.Name] = local;
                installedSources.Add(new InstalledSource { Name = file.Name, Sha256 = file.Sha256.ToLowerInvariant(), Size = new FileInfo(local).Length, Origin = origin });
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

            new ModelManifest
            {
                Family = family.Name,
                Variant = variant.Name,
                Architecture = variant.Architecture,
                License = variant.License,
                SampleRate = family.SampleRate,
                DefaultLayer = variant.DefaultLayer,
                Layers = variant.Layers,
                Labels = variant.Labels != null && family.Labels.TryGetValue(variant.Labels, out var l) ? l : Array.Empty<string>(),
                Sources = installedSources,
                OnnxSha256 = FileHash.Sha256(onnxPath),
                ConverterVersion = typeof(ModelStore).Assembly.GetName().Version?.ToString() ?? "0",
                InstalledUtc = DateTime.UtcNow,
            }.Save(Path.Combine(staging, ModelManifest.FileName));

            ReplaceDirectory(staging, finalDir);
            return Find(family.Name, variant.Name) ?? throw new ModelStoreException($"The installed model at '{finalDir}' vanished right after installation.");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
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
