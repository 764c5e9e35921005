namespace AudioEmbed.Core.Output;

/// <summary>
/// Checks that embeddings can be written to a folder before any is computed: creates the folder (and its parents)
/// and a temporary file in it, then deletes the file. A read-only file system, a missing permission or a file
/// where a folder should be is found once, up front, instead of once per song after computing it.
/// </summary>
public static class OutputFolderProbe
{
    /// <summary>Throws <see cref="OutputFolderNotWritableException"/> naming the folder and the reason.</summary>
    public static void EnsureWritable(string folder)
    {
        string probe = Path.Combine(folder, $".audioembed-write-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new OutputFolderNotWritableException(folder, Reason(folder, ex), ex);
        }
        finally
        {
            try { if (File.Exists(probe)) File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The cause in words a user can act on; the runtime's own message is kept after it.</summary>
    private static string Reason(string folder, Exception ex)
    {
        for (var dir = folder; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir)) return $"'{dir}' is a file, not a folder ({ex.Message})";
            if (Directory.Exists(dir)) break;
        }
        return ex switch
        {
            UnauthorizedAccessException => $"permission denied ({ex.Message})",
            IOException io when io.HResult == 30 || io.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase) => $"the file system is read-only ({ex.Message})",
            _ => ex.Message,
        };
    }
}

/// <summary>The output folder cannot be written: nothing was computed or written.</summary>
public sealed class OutputFolderNotWritableException : IOException
{
    public OutputFolderNotWritableException(string folder, string reason, Exception inner)
        : base($"Cannot write embeddings to '{folder}': {reason}. Nothing was written; choose another -OutputDirectory or fix the folder's permissions.", inner)
    {
        Folder = folder;
        Reason = reason;
    }

    public string Folder { get; }
    public string Reason { get; }
}
