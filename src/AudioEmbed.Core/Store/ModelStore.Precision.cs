using AudioEmbed.Core.Models;
using AudioEmbed.Core.Onnx;
using AudioEmbed.Core.Onnx.Proto;

namespace AudioEmbed.Core.Store;

/// <summary>Reduced-precision copies of installed models, derived from the float32 model and cached beside it.</summary>
public sealed partial class ModelStore
{
    private const string Int8HashFileName = InstalledModel.Int8OnnxFileName + ".sha256";

    /// <summary>
    /// The installed model in <paramref name="precision"/>. Int8 is derived from model.onnx on first use
    /// (<see cref="DynamicInt8Rewriter"/>: seconds, no checkpoint needed) and kept as model.int8.onnx, so both
    /// precisions coexist; a reinstall replaces the folder and with it the copy. Families without an Int8 form
    /// (MusiCNN) or architectures where Int8 did not clear the bar (MERT-v1-95M) are refused with a
    /// <see cref="NotSupportedException"/>.
    /// </summary>
    public InstalledModel WithPrecision(InstalledModel model, Precision precision, IProgress<InstallProgress>? progress, CancellationToken ct)
    {
        if (precision == Precision.Float32) return model.Precision == Precision.Float32 ? model : new InstalledModel(model.Directory, model.Manifest);
        EnsurePrecisionOffered(model.Manifest.Family, model.Manifest.BaseVariant ?? model.Manifest.Variant, precision);
        var family = (IInt8Family)ModelFamilies.Get(model.Manifest.Family);

        string onnx = Path.Combine(model.Directory, InstalledModel.Int8OnnxFileName), hashFile = Path.Combine(model.Directory, Int8HashFileName);
        if (!File.Exists(onnx) || !File.Exists(hashFile))
        {
            // The install lock of this model: a concurrent first use (or a reinstall) waits instead of racing.
            using var installLock = StoreLock.Acquire(InstallLockPath(model.Directory), ct);
            if (!File.Exists(onnx) || !File.Exists(hashFile))
            {
                // Leftovers of a process killed mid-write (we hold the lock, so none is being written now).
                foreach (var stale in Directory.EnumerateFiles(model.Directory, InstalledModel.Int8OnnxFileName + ".tmp-*")) File.Delete(stale);
                progress?.Report(new InstallProgress($"Making the Int8 copy of {model.Manifest.Family} {model.Manifest.Variant}", 0, null));
                WriteInt8(model, family, onnx, hashFile, ct);
            }
        }
        return new InstalledModel(model.Directory, model.Manifest, Precision.Int8, File.ReadAllText(hashFile).Trim());
    }

    /// <summary>
    /// Throws <see cref="NotSupportedException"/> unless <paramref name="precision"/> is offered for models of
    /// <paramref name="architectureVariant"/> (float32 always; Int8 where <see cref="IInt8Family.OffersInt8"/> says so).
    /// </summary>
    internal static void EnsurePrecisionOffered(string familyName, string architectureVariant, Precision precision)
    {
        if (precision == Precision.Float32) return;
        if (ModelFamilies.Get(familyName) is not IInt8Family family || !family.OffersInt8(architectureVariant))
            throw new NotSupportedException($"{familyName} {architectureVariant} has no Int8 precision: Int8 is offered where it runs at least 1.5× faster with embeddings within cosine 0.999 of float32 (EnCodecMAE, MERT-v1-330M). Use -Precision Float32.");
    }

    /// <summary>Rewrites model.onnx into a temporary file, records its hash, then renames it into place.</summary>
    private static void WriteInt8(InstalledModel model, IInt8Family family, string onnx, string hashFile, CancellationToken ct)
    {
        string floatPath = Path.Combine(model.Directory, ModelManifest.OnnxFileName);
        ModelProto graph;
        try { graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(floatPath)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new ModelStoreException($"Cannot read '{floatPath}' to make its Int8 copy ({ex.Message}): reinstall the model with Install-AudioEmbedModel -Force.", ex);
        }
        ct.ThrowIfCancellationRequested();
        if (DynamicInt8Rewriter.Apply(graph, family.IsInt8Weight) == 0)
            throw new ModelStoreException($"'{floatPath}' has no Linear layers to make Int8: it was not converted by this module's {model.Manifest.Family} converter.");

        string temp = onnx + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                Google.Protobuf.MessageExtensions.WriteTo(graph, file);
                file.Flush(true);
            }
            File.WriteAllText(hashFile, FileHash.Sha256(temp));
            File.Move(temp, onnx, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
