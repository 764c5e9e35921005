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
    /// Installs a variant. Each checkpoint file comes from <see cref="InstallRequest.SourcePath"/> when given, else from
    /// the Hugging Face cache, else by download (see ModelStore.Sources.cs for how each is verified). With
    /// <see cref="InstallRequest.CustomName"/>, installs a checkpoint that is not in the catalog (a fine-tuned one, from
    /// -SourcePath or a hub repository) under that name, with the architecture of the variant. A catalog variant under a
    /// non-commercial licence installs only with <see cref="InstallRequest.AcceptLicense"/>.
    /// </summary>
    public InstalledModel Install(InstallRequest request, IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        var family = Catalog.Family(request.Model);
        family.EnsureAvailable();
        var variant = family.Variant(request.Variant);
        string? customName = request.CustomName;
        bool askLicense = RequireLicenseAccepted(variant, customName, request.AcceptLicense);
        var converter = ModelFamilies.Get(family.Name);
        if (request.Repository != null && customName is null)
            throw new ModelStoreException($"A checkpoint from the repository {request.Repository} installs under a name of yours: add -Name (then use it as -Variant).");
        if (request.Repository != null && request.SourcePath != null)
            throw new ModelStoreException("Give either -Repository or -SourcePath, not both.");
        if (customName != null)
        {
            ValidateCustomName(family, customName);
            if (request.SourcePath is null && request.Repository is null)
                throw new ModelStoreException($"A custom checkpoint ('{customName}') installs from -SourcePath or from a hub repository (-Repository): there is nothing in the catalog to download.");
        }
        var planned = PlanSources(family, variant, request);
        string installName = customName ?? variant.Name;
        var finalDir = VariantDirectory(family, installName);
        var familyDir = Path.GetDirectoryName(finalDir)!;
        Directory.CreateDirectory(familyDir);

        using var installLock = StoreLock.Acquire(InstallLockPath(finalDir), ct);
        if (!request.Force && Directory.Exists(finalDir) && Find(family.Name, installName) is { } existing) return existing;

        var staging = Path.Combine(familyDir, $".staging-{installName}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var sources = new Dictionary<string, string>(StringComparer.Ordinal);
            var installedSources = new List<InstalledSource>();
            var context = new SourceContext(family, variant, request, staging, progress, ct);
            foreach (var file in planned)
            {
                ct.ThrowIfCancellationRequested();
                var acquired = Acquire(file, context);
                sources[file.Key] = acquired.Path;
                installedSources.Add(acquired.Record);
            }

            progress?.Report(new InstallProgress($"Converting {family.Name} {variant.Name} to ONNX", 0, null));
            var onnxPath = Path.Combine(staging, ModelManifest.OnnxFileName);
            using (var onnx = new FileStream(onnxPath, FileMode.CreateNew, FileAccess.Write))
            {
                converter.Convert(variant, sources, onnx);
                onnx.Flush(true);
            }
            foreach (var path in sources.Values) // downloaded checkpoints are not needed once converted
                if (Path.GetDirectoryName(Path.GetFullPath(path)) == Path.GetFullPath(staging)) File.Delete(path);

            var layers = converter.Layers(variant, onnxPath);
            new ModelManifest
            {
                Family = family.Name,
                Variant = installName,
                Custom = customName != null,
                BaseVariant = customName != null ? variant.Name : null,
                Architecture = variant.Architecture,
                License = customName != null && request.Repository != null ? $"as stated by {request.Repository}" : variant.License,
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
