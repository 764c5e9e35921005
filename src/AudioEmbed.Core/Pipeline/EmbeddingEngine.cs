using System.Collections.Concurrent;
using System.Diagnostics;
using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Models;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// Turns audio files into embeddings: resolves the model in the store (installing it on first use when
/// it can), keeps one extractor per (model, device) for the whole process, decodes and embeds a file.
/// </summary>
public sealed class EmbeddingEngine
{
    // One extractor per installed model file (its hash tells a reinstall apart) and device.
    private static readonly ConcurrentDictionary<(string OnnxPath, string OnnxSha256, Onnx.ExecutionDevice Device, int DeviceId), Lazy<IEmbeddingExtractor>> Extractors = new();

    public EmbeddingEngine(ModelStore store) => Store = store;

    public ModelStore Store { get; }

    /// <summary>
    /// Returns the installed model for the request, downloading and converting it on first use. When that
    /// is impossible (offline, no network) the error says exactly which command installs it by hand.
    /// </summary>
    /// <param name="installedNow">Called with the model when this call installed it (first use), so the caller can say how its files were verified.</param>
    public InstalledModel EnsureInstalled(EmbeddingRequest request, IProgress<InstallProgress>? progress, CancellationToken ct, Action<InstalledModel>? installedNow = null)
    {
        var family = Store.Catalog.Family(request.Model);
        family.EnsureAvailable();
        // A catalog variant is checked before any download; a custom name once its manifest tells its architecture.
        var catalogVariant = family.Variants.FirstOrDefault(v => string.Equals(v.Name, request.Variant ?? family.DefaultVariant, StringComparison.OrdinalIgnoreCase));
        if (catalogVariant != null) ModelStore.EnsurePrecisionOffered(family.Name, catalogVariant.Name, request.Precision);
        ValidateOptions(family.Name, request.Options);
        var installed = Store.Find(family.Name, request.Variant); // catalog or custom name
        if (installed is null)
        {
            installed = Install(family, request, progress, ct);
            installedNow?.Invoke(installed);
        }
        return Store.WithPrecision(installed, request.Precision, progress, ct);
    }

    private InstalledModel Install(ModelFamilyInfo family, EmbeddingRequest request, IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        var variant = family.Variant(request.Variant);
        try
        {
            return Store.Install(new InstallRequest(family.Name) { Variant = variant.Name }, progress, ct);
        }
        catch (ModelStoreException ex)
        {
            string files = string.Join(", ", variant.Files.Select(f => f.Name));
            throw new ModelStoreException(
                $"{family.Name} {variant.Name} is not installed and could not be installed automatically ({ex.Message}). " +
                $"Download {files} on a connected machine and run: Install-AudioEmbedModel -Model {family.Name} -Variant {variant.Name} -SourcePath <path to {files}>" +
                (variant.NonCommercial ? " -AcceptLicense" : ""), ex);
        }
    }

    /// <summary>
    /// Refuses settings the family does not declare (<see cref="IModelFamily.Options"/>) or whose value it rejects, naming
    /// the settings it does take.
    /// </summary>
    public static void ValidateOptions(string familyName, FamilyOptions options)
    {
        var family = ModelFamilies.Get(familyName);
        foreach (var (name, value) in options.Values)
        {
            var option = family.Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (option is null)
            {
                string accepted = family.Options.Count == 0 ? "none" : string.Join(", ", family.Options.Select(o => "-" + o.Name));
                throw new ArgumentException($"{family.Name} has no setting -{name} (its own settings: {accepted}).");
            }
            if (option.Validate(value) is { } problem) throw new ArgumentException($"{family.Name}: {problem}.");
        }
    }

    /// <summary>
    /// Embeds one file. Throws <see cref="AudioDecodeException"/> for unreadable audio and
    /// <see cref="AudioTooLongException"/> when the whole sequence asked for does not fit in one array.
    /// </summary>
    public AudioEmbedding Embed(string audioPath, InstalledModel model, EmbeddingRequest request, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var manifest = model.Manifest;
        string layer = ResolveLayer(manifest, request.Layer);
        var extractor = ExtractorFor(model, request);

        LayerRows rows;
        TruncatedAudio? truncated;
        using (var audio = AudioFile.Open(audioPath, request.Decoder, ct))
        {
            // Pooled requests never hold the whole sequence (a long file's rows can take gigabytes).
            try { rows = request.Pooling == Pooling.None ? extractor.Extract(audio, layer, request, ct) : extractor.ExtractPooled(audio, layer, request, ct); }
            catch (InvalidDataException ex) { throw new AudioDecodeException(audioPath, ex.Message, inner: ex); }
            truncated = TruncatedAudio.Check(audio, rows.DecodedFrames); // a cut file still embeds; the caller warns
        }

        return ToEmbedding(audioPath, model, request, layer, extractor, rows, truncated, stopwatch.Elapsed);
    }

    /// <summary>The process-wide extractor of an installed model on the request's device (loaded on first use).</summary>
    internal static IEmbeddingExtractor ExtractorFor(InstalledModel model, EmbeddingRequest request) =>
        Extractors.GetOrAdd((model.OnnxPath, model.OnnxSha256, request.Device, request.DeviceId),
            key => new Lazy<IEmbeddingExtractor>(() => ModelFamilies.Get(model.Manifest.Family).CreateExtractor(model, key.Device, key.DeviceId))).Value;

    /// <summary>The result object of one (file, model): shared by <see cref="Embed"/> and <see cref="MultiModelEmbedder"/>.</summary>
    internal AudioEmbedding ToEmbedding(string audioPath, InstalledModel model, EmbeddingRequest request, string layer,
        IEmbeddingExtractor extractor, LayerRows rows, TruncatedAudio? truncated, TimeSpan elapsed)
    {
        var manifest = model.Manifest;
        // With Pooling None, Vector is the sequence's mean (handy for quick similarity).
        float[] vector = request.Pooling == Pooling.None ? Pooler.Mean(rows.Rows, rows.RowCount, rows.Dimension) : rows.Rows;
        var folder = Store.Catalog.Family(manifest.Family).Folder;
        return new AudioEmbedding
        {
            Path = Path.GetFullPath(audioPath),
            Name = Path.GetFileNameWithoutExtension(audioPath),
            Model = manifest.Family,
            ModelFolder = folder,
            Variant = manifest.Variant,
            Layer = layer,
            Pooling = request.Pooling,
            Precision = request.Precision,
            Dimension = rows.Dimension,
            // "all" puts every numbered layer side by side; the manifest lists them as 0, 1, 2, ...
            LayerCount = string.Equals(layer, LayerNames.All, StringComparison.OrdinalIgnoreCase) ? Math.Max(1, manifest.Layers.Keys.Count(k => k.All(char.IsAsciiDigit))) : 1,
            Vector = vector,
            Sequence = request.Pooling == Pooling.None ? Pooler.Split(rows.Rows, rows.RowCount, rows.Dimension) : null,
            FrameTimes = request.Pooling == Pooling.None ? rows.RowStartSeconds : null,
            Duration = TimeSpan.FromSeconds(rows.NativeSampleRate > 0 ? (double)rows.DecodedFrames / rows.NativeSampleRate : 0),
            SampleRate = rows.NativeSampleRate,
            Resampler = rows.Resampler,
            ResamplingRecipe = rows.ResamplingRecipe,
            Truncation = truncated,
            Patches = rows.Patches,
            Device = extractor.Device.ToString(),
            Elapsed = elapsed,
            ModelHash = model.OnnxSha256, // the Int8 copy's own hash: its embeddings are not the float32 model's
            Tags = rows.MeanTaggram is { } tags ? TopTags(tags, manifest.Labels, request.TopTags) : null,
        };
    }

    /// <summary>Layer names are matched case-insensitively; null means the variant's default.</summary>
    public static string ResolveLayer(ModelManifest manifest, string? requested)
    {
        if (requested is null) return manifest.DefaultLayer;
        var match = manifest.Layers.Keys.FirstOrDefault(k => string.Equals(k, requested, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new ModelStoreException($"{manifest.Family} {manifest.Variant} has no layer '{requested}'. Layers: {string.Join(", ", manifest.Layers.Keys)}.");
    }

    private static TagScore[] TopTags(float[] meanTaggram, string[] labels, int top) =>
        meanTaggram.Select((score, i) => new TagScore(i < labels.Length ? labels[i] : $"tag{i}", score))
            .OrderByDescending(t => t.Score)
            .Take(Math.Max(1, top))
            .ToArray();
}
