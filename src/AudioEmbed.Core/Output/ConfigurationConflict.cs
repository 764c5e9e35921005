namespace AudioEmbed.Core.Output;

/// <summary>
/// Is the file already at an embedding's target path one of another configuration? Decided by its manifest line
/// when it has one, else by its shape (a file from before manifests, or copied in): a different rank or width cannot
/// be the same configuration. Export refuses to replace such a file unless forced, so an embedding is never silently
/// overwritten by one of another variant, layer, pooling, precision or resampling recipe (an old line without a
/// recipe counts as the family's own; a file that was at the model's rate, "none", was not resampled and agrees with any).
/// </summary>
public static class ConfigurationConflict
{
    /// <returns>Null when nothing is there or it is of the same configuration; else the message naming the file and both configurations.</returns>
    public static string? Find(string target, string modelDirectory, EmbeddingConfiguration wanted, int[] wantedShape,
        IReadOnlyDictionary<string, EmbeddingRecord> manifest, Store.ModelFamilyInfo? family = null)
    {
        if (!File.Exists(target)) return null;
        manifest.TryGetValue(EmbeddingManifest.KeyFor(modelDirectory, target), out var record);
        var recorded = record is null ? null : EmbeddingConfiguration.Of(record, family);
        if (recorded != null && !recorded.SameAs(wanted)) return Message(target, $"an embedding of {recorded}", wanted);

        // Same configuration by the manifest, or no line: the shape must still be this configuration's (a file
        // copied in, or replaced by hand, says nothing in the manifest).
        int[] shape;
        try { shape = NpyReader.ReadShape(target).Shape; }
        catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or OverflowException)
        {
            return null; // unreadable: not an embedding of any configuration, replacing it loses nothing
        }
        bool sameShape = shape.Length == wantedShape.Length
            && (wanted.Pooling == Pipeline.Pooling.None ? shape.AsSpan(1).SequenceEqual(wantedShape.AsSpan(1)) : shape.AsSpan().SequenceEqual(wantedShape));
        if (sameShape) return null;
        var what = recorded != null
            ? $"an array of shape ({string.Join(", ", shape)}) that is not of the configuration its line in {EmbeddingManifest.FileName} names"
            : $"an unknown configuration (no line in {EmbeddingManifest.FileName}) of shape ({string.Join(", ", shape)})";
        return Message(target, what, wanted);
    }

    private static string Message(string target, string existing, EmbeddingConfiguration wanted) =>
        $"'{target}' holds {existing}, not an embedding of {wanted}: not overwritten. " +
        "Use -Force to replace it, or move it to its own configuration folder (see about_AudioEmbed / docs/library.md).";
}
