namespace AudioEmbed.Core.Store;

public sealed partial class ModelStore
{
    /// <summary>
    /// Removes an installed model (catalog variant or custom name) from the store, under the same lock as an install.
    /// Only the store's own folder goes: a Hugging Face cache it was installed from is never touched, nor are the
    /// partial downloads of other models. Returns the folder removed, or null when it was not installed.
    /// </summary>
    public string? Uninstall(string familyName, string? variantName, CancellationToken ct)
    {
        var family = Catalog.Family(familyName);
        var installed = Find(family.Name, variantName);
        if (installed is null) return null;
        var dir = installed.Directory;
        using (StoreLock.Acquire(InstallLockPath(dir), ct))
        {
            if (!Directory.Exists(dir)) return null;
            // Renamed first so a reader never sees a half-deleted model; a model in use (a Windows lock) fails here, whole.
            var doomed = dir.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + ".removing-" + Guid.NewGuid().ToString("N")[..8];
            try { Directory.Move(dir, doomed); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ModelStoreException($"Could not uninstall {family.Name} {installed.Manifest.Variant} at '{dir}': {ex.Message} (is it in use by another process?). Nothing was removed.", ex);
            }
            Directory.Delete(doomed, recursive: true);
        }
        try { File.Delete(InstallLockPath(dir)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return dir;
    }
}
