using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests;

/// <summary>
/// Locates the repository and the reference data in ../shared (beside the checkout, also in CI).
/// Tests that need the data call <see cref="Require"/>, which skips them with a clear reason when
/// the folder is absent instead of failing obscurely.
/// </summary>
public static class SharedData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static bool Available => Directory.Exists(Root);

    public static string ModuleDir => Path.Combine(RepoRoot, "out", "AudioEmbed");

    /// <summary>Absolute path of a file below ../shared; skips the calling test if it is not there.</summary>
    public static string Require(params string[] relative)
    {
        Skip.IfNot(Available, $"The shared reference data folder '{Root}' is absent: these tests need ../shared beside the repository checkout.");
        var path = Path.Combine(Root, Path.Combine(relative));
        Skip.IfNot(File.Exists(path) || Directory.Exists(path), $"The shared reference file '{path}' is absent.");
        return path;
    }

    public static NpyArray Npy(params string[] relative) => NpyReader.Read(Require(relative));

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "AudioEmbed.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"AudioEmbed.sln not found above {AppContext.BaseDirectory}");
    }
}
