using System.Management.Automation;

namespace AudioEmbed.PowerShell;

/// <summary>
/// -Path (wildcards) and -LiteralPath resolution shared by the cmdlets. A path that does not resolve is a
/// non-terminating error naming it; the other paths go on.
/// </summary>
internal static class PathResolution
{
    public static IEnumerable<string> ResolveFiles(PSCmdlet cmdlet, string[]? paths, bool literal, string what = "audio file")
    {
        foreach (var path in paths ?? Array.Empty<string>())
        {
            List<string> resolved = new();
            try
            {
                if (literal)
                {
                    var p = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                    if (File.Exists(p)) resolved.Add(p);
                    else if (Directory.Exists(p)) NotAFile(cmdlet, path, what);
                    else NotFound(cmdlet, path, what);
                }
                else
                {
                    var found = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
                    foreach (var p in found)
                    {
                        if (File.Exists(p)) resolved.Add(p);
                        else if (!WildcardPattern.ContainsWildcardCharacters(path)) NotAFile(cmdlet, path, what);
                    }
                    if (resolved.Count == 0 && found.Count == 0)
                    {
                        // Song names often hold brackets ("Live [2001].mp3"), which -Path reads as a wildcard
                        // class. A pattern that matches nothing but names an existing file means that file.
                        var literalPath = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        if (File.Exists(literalPath)) resolved.Add(literalPath);
                        else NotFound(cmdlet, path, what);
                    }
                }
            }
            catch (ItemNotFoundException)
            {
                NotFound(cmdlet, path, what);
            }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
            {
                NotFound(cmdlet, path, what);
            }
            foreach (var p in resolved) yield return p;
        }
    }

    /// <summary>A folder path relative to the current PowerShell location (not the process's working directory).</summary>
    public static string ResolveFolder(PSCmdlet cmdlet, string path) =>
        cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static void NotFound(PSCmdlet cmdlet, string path, string what) =>
        cmdlet.WriteError(new ErrorRecord(new FileNotFoundException($"Cannot find the {what} '{path}' because it does not exist.", path),
            ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, path));

    private static void NotAFile(PSCmdlet cmdlet, string path, string what) =>
        cmdlet.WriteError(new ErrorRecord(new IOException($"'{path}' is a folder, not an {what}. Pipe its files instead: Get-ChildItem '{path}' -File | {cmdlet.MyInvocation.MyCommand.Name}"),
            ErrorIds.PathNotFound, ErrorCategory.InvalidArgument, path));
}
