namespace AudioEmbed.Core.Output;

/// <summary>How embedding files are named under &lt;OutputDirectory&gt;/&lt;model&gt;/.</summary>
public enum OutputLayoutKind
{
    /// <summary>&lt;song&gt;.npy: the Python pipeline's layout (songs with one base name in two folders collide).</summary>
    Flat,
    /// <summary>&lt;folders below the root&gt;/&lt;song&gt;.npy: the library's folders mirrored, so no two songs collide.</summary>
    Relative,
}

/// <summary>The output layout of a run: flat, or mirroring the audio folders below <see cref="Root"/>.</summary>
public sealed record OutputLayout(OutputLayoutKind Kind, string? Root = null)
{
    public static OutputLayout Flat { get; } = new(OutputLayoutKind.Flat);

    /// <summary>Where the embedding of <paramref name="audioPath"/> goes (song name = its base name).</summary>
    public string PathFor(string outputDirectory, string modelFolder, string audioPath, string? songName = null)
    {
        songName ??= Path.GetFileNameWithoutExtension(audioPath);
        if (Kind == OutputLayoutKind.Flat) return EmbeddingLayout.PathFor(outputDirectory, modelFolder, songName);
        var root = Path.GetFullPath(Root ?? throw new InvalidOperationException("A relative layout needs a root folder."));
        var folder = Path.GetDirectoryName(Path.GetFullPath(audioPath)) ?? root;
        var relative = Path.GetRelativePath(root, folder);
        if (relative == "." ) relative = "";
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{audioPath}' is not below the layout root '{root}': give -RelativeTo a folder that contains it.");
        var safeParts = relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Select(EmbeddingLayout.SafeFileName);
        return Path.Combine(new[] { outputDirectory, modelFolder }.Concat(safeParts).Append(EmbeddingLayout.SafeFileName(songName) + ".npy").ToArray());
    }
}
