namespace AudioEmbed.Core.Output;

/// <summary>
/// Is the file already at an embedding's target path one of another configuration? Decided by its manifest line
/// when it has one, else by its shape (a file from before manifests, or copied in): a different rank or width cannot
/// be the same configuration. Export refuses to replace such a file unless forced, so an embedding is never silently
/// overwritten by one of another variant, layer, pooling or precision.
/// </summary>
public static class ConfigurationConflict
{
    /// <returns>Null when nothing is there or it is of the same configuration; else the message naming the file and both configurations.</returns>
    public static string? Find(string target, string modelDirectory, EmbeddingConfiguration wanted, int[] wantedShape,
        IReadOnlyDictionary<string, EmbeddingRecord> manifest)
    {
        if (!File.Exists(target)) return null;
        if (manifest.TryGetValue(EmbeddingManifest.KeyFor(modelDirectory, target), out var record) && EmbeddingConfiguration.Of(record) is { } recorded)
            return recorded.SameAs(wanted) ? null : Message(target, recorded.ToString(), wanted);

        int[] shape;
        try { shape = NpyReader.ReadShape(target).Shape; }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return null; // unreadable: not an embedding of any configuration, replacing it loses nothing
        }
        bool sameShape = shape.Length == wantedShape.Length
            && (wanted.Pooling == Pipeline.Pooling.None ? shape.AsSpan(1).SequenceEqual(wantedShape.AsSpan(1)) : shape.AsSpan().SequenceEqual(wantedShape));
        return sameShape ? null : Message(target, $"an unknown configuration (no line in {EmbeddingManifest.FileName}) of shape ({string.Join(", ", shape)})", wanted);
    }

    private static string Message(string target, string existing, EmbeddingConfiguration wanted) =>
        $"'{target}' holds an embedding of {existing}, not of {wanted}: not overwritten. " +
        "Use -Force to replace it, or move it to its own configuration folder (see about_AudioEmbed / docs/library.md).";
}
