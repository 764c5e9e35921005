namespace AudioEmbed.Bench;

internal static class Paths
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AudioEmbed.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run the benchmark from the repository");
    }

    /// <summary>../shared beside the checkout, or null.</summary>
    public static string? Shared()
    {
        var shared = Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));
        return Directory.Exists(shared) ? shared : null;
    }
}
