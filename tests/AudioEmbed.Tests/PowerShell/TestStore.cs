using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// One model store for the whole test run, with the MusiCNN variants installed from ../shared once.
/// AUDIOEMBED_OFFLINE is set so no test ever reaches for the network; AUDIOEMBED_HOME points at the store
/// so the cmdlets' defaults use it.
/// </summary>
public static class TestStore
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Installed = new();

    public static string Home { get; } = CreateHome();

    private static string CreateHome()
    {
        var home = Path.Combine(Path.GetTempPath(), "audioembed-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(home);
        Environment.SetEnvironmentVariable(StoreLocation.HomeVariable, home);
        Environment.SetEnvironmentVariable(Downloader.OfflineVariable, "1");
        // Never the user's Hugging Face settings: an empty cache of our own, the public endpoint (unreachable offline), no token.
        var hfCache = Path.Combine(home, "hf-cache-empty");
        Directory.CreateDirectory(hfCache);
        Environment.SetEnvironmentVariable(Core.Store.HuggingFace.HubCache.CacheVariable, hfCache);
        Environment.SetEnvironmentVariable(Core.Store.HuggingFace.HubCache.HomeVariable, Path.Combine(home, "hf-home-empty"));
        Environment.SetEnvironmentVariable(Core.Store.HuggingFace.HubSettings.EndpointVariable, null);
        Environment.SetEnvironmentVariable(Core.Store.HuggingFace.HubSettings.TokenVariable, null);
        Environment.SetEnvironmentVariable(Core.Store.HuggingFace.HubSettings.OfflineVariable, null);
        Environment.SetEnvironmentVariable(ModelCatalog.CatalogVariable, null);
        // Nor the user's download time limits: tests that need short ones set them (or pass DownloadTimeouts).
        Environment.SetEnvironmentVariable(DownloadTimeouts.StallVariable, null);
        Environment.SetEnvironmentVariable(DownloadTimeouts.HubDownloadVariable, null);
        Environment.SetEnvironmentVariable(DownloadTimeouts.HubEtagVariable, null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(home, true); } catch (IOException) { } };
        return home;
    }

    public static ModelCatalog Catalog { get; } = ModelCatalog.Load(Path.Combine(SharedData.RepoRoot, "models", "catalog.json"));

    /// <summary>Installs a MusiCNN variant from ../shared/models/musicnn (once per run) and returns the store.</summary>
    public static ModelStore WithMusicnn(params string[] variants)
    {
        var store = new ModelStore(Home, Catalog);
        lock (Gate)
        {
            foreach (var v in variants)
            {
                if (Installed.Contains(v)) continue;
                store.Install(new InstallRequest("MusiCNN") { Variant = v, SourcePath = SharedData.Require("models", "musicnn", v + ".h5") }, null, CancellationToken.None);
                Installed.Add(v);
            }
        }
        return store;
    }

    /// <summary>A fresh folder below this run's scratch root, removed when the test process exits.</summary>
    public static string TempDir(string purpose)
    {
        var dir = Path.Combine(ScratchRoot, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string ScratchRoot { get; } = CreateScratchRoot();

    private static string CreateScratchRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), $"audioembed-scratch-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { } };
        return root;
    }
}
