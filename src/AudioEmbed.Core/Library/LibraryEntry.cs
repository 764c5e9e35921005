namespace AudioEmbed.Core.Library;

/// <summary>One song of a library: its embedding file, the audio it came from (manifest.jsonl), and the file's identity for the cache.</summary>
/// <param name="Key">The .npy path relative to the configuration folder, '/'-separated (equal across models for one song).</param>
public sealed record LibraryEntry(string Key, string Song, string EmbeddingPath, long Size, long ModifiedTicks)
{
    /// <summary>From manifest.jsonl; empty for files written without one (the seed pipeline's).</summary>
    public string AudioPath { get; init; } = "";
    /// <summary>The module version and model hash that wrote it (manifest.jsonl); empty without a line.</summary>
    public string ModuleVersion { get; init; } = "";
    public string ModelHash { get; init; } = "";
}

/// <summary>A file left out of a library, and why (shown as a warning naming it).</summary>
public sealed record LibraryIssue(string Path, string Problem)
{
    public override string ToString() => $"'{Path}': {Problem}";
}
