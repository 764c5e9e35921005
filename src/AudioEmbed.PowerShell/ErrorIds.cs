namespace AudioEmbed.PowerShell;

/// <summary>Stable FullyQualifiedErrorId prefixes: scripts and tests match on these, so never rename one.</summary>
internal static class ErrorIds
{
    public const string PathNotFound = "AudioEmbed.PathNotFound";
    public const string AudioDecodeFailed = "AudioEmbed.AudioDecodeFailed";
    public const string EmbeddingFailed = "AudioEmbed.EmbeddingFailed";
    public const string ModelUnavailable = "AudioEmbed.ModelUnavailable";
    public const string InvalidLayer = "AudioEmbed.InvalidLayer";
    public const string InvalidShard = "AudioEmbed.InvalidShard";
    public const string DeviceUnavailable = "AudioEmbed.DeviceUnavailable";
    public const string InstallFailed = "AudioEmbed.InstallFailed";
    public const string LicenseNotAccepted = "AudioEmbed.LicenseNotAccepted";
    public const string WriteFailed = "AudioEmbed.WriteFailed";
    public const string OutputNotWritable = "AudioEmbed.OutputNotWritable";
    public const string DuplicateSongName = "AudioEmbed.DuplicateSongName";
    public const string InvalidNpy = "AudioEmbed.InvalidNpy";
    public const string AudioFolderNotFound = "AudioEmbed.AudioFolderNotFound";
    public const string PrecisionUnsupported = "AudioEmbed.PrecisionUnsupported";
    /// <summary>A warning (its text starts with the id): the file decoded to less than its header declared.</summary>
    public const string TruncatedAudio = "AudioEmbed.TruncatedAudio";
    public const string AudioTooLong = "AudioEmbed.AudioTooLong";
    public const string InvalidModelSetting = "AudioEmbed.InvalidModelSetting";
    public const string UninstallFailed = "AudioEmbed.UninstallFailed";
    public const string ConfigurationConflict = "AudioEmbed.ConfigurationConflict";
    public const string LibraryEmpty = "AudioEmbed.LibraryEmpty";
    public const string LibraryMixed = "AudioEmbed.LibraryMixed";
    public const string DimensionMismatch = "AudioEmbed.DimensionMismatch";
    public const string TableWriteFailed = "AudioEmbed.TableWriteFailed";
    /// <summary>-Model named twice, or a -Variant/-Layer Model=Value pair naming an unknown or unlisted model.</summary>
    public const string InvalidModelChoice = "AudioEmbed.InvalidModelChoice";
}
