namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// Repository ids and file names as the hub allows them. Both become URL paths and cache paths, so anything
/// that could climb out of a folder ("..", a rooted path, a backslash) is refused before it is used.
/// </summary>
public static class HubNames
{
    public static void ValidateRepository(string repository)
    {
        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length is 0 or > 96 || p is "." or ".." || p.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            throw new ModelStoreException($"'{repository}' is not a Hugging Face repository id: use owner/name (letters, digits, '-', '_', '.').");
    }

    public static void ValidateFile(string file)
    {
        if (file.Length is 0 or > 255 || file.Contains('\\') || file.StartsWith('/') || file.Contains(':')
            || file.Split('/').Any(p => p is "" or "." or "..") || file.Any(char.IsControl))
            throw new ModelStoreException($"'{file}' is not a usable file name in a repository: it must be a relative path without '..', '\\' or ':'. Nothing was installed.");
    }

    /// <summary>The cache folder name of a model repository: models--owner--name.</summary>
    public static string CacheFolder(string repository) => "models--" + repository.Replace("/", "--");

    public static bool IsCommit(string revision) => revision.Length == 40 && revision.All(c => char.IsAsciiHexDigit(c) && !char.IsAsciiLetterUpper(c));
}
