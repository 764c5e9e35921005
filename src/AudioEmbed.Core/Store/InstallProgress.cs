namespace AudioEmbed.Core.Store;

/// <summary>A step of an installation, for progress display: what is happening and how far (bytes, when known).</summary>
public readonly record struct InstallProgress(string Activity, long Done, long? Total);
