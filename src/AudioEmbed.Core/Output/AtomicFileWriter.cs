namespace AudioEmbed.Core.Output;

/// <summary>
/// Writes a file through a temporary sibling and a rename, so readers (and a rerun after a crash or
/// Ctrl+C) only ever see a complete file or none.
/// </summary>
public static class AtomicFileWriter
{
    /// <summary>Returns false, writing nothing, when <paramref name="overwrite"/> is false and the file exists.</summary>
    public static bool Write(string path, Action<Stream> write, bool overwrite)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        if (!overwrite && File.Exists(path)) return false;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temp, path, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(path))
            {
                return false; // another writer got there first: keep theirs
            }
            return true;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
