using AudioEmbed.Core.Store;
using AudioEmbed.Core.Store.HuggingFace;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.HuggingFace;

/// <summary>The tiny real-format checkpoints of ../shared/fixtures under the real repositories' file names.</summary>
public static class HubFixtures
{
    public const string MertRepo = "m-a-p/MERT-v1-95M";
    public const string MertRevision = "12af15fef9d0ac838c3f475bfbbf26d2060dd4f5"; // the catalog's
    public const string EncodecRepo = "lpepino/encodecmae-v2";
    public const string EncodecFile = "mel256-ec-base_st.pt";

    public static Dictionary<string, byte[]> Mert(string style = "tiny-95m-style") => new[] { "config.json", "preprocessor_config.json", "pytorch_model.bin" }
        .ToDictionary(f => f, f => File.ReadAllBytes(SharedData.Require("fixtures", "mert", style, f)));

    public static byte[] Encodec() => File.ReadAllBytes(SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt"));

    public static string MertWav => SharedData.Require("fixtures", "mert", "tiny-95m-style", "input_1.wav");
    public static float[] MertMeanPooled => SharedData.Npy("fixtures", "mert", "tiny-95m-style", "mean_pooled_1.npy").ToFloat32();
    public static string EncodecWav => SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "input.wav");
    public static float[] EncodecMeanPooled => SharedData.Npy("fixtures", "encodecmae", "tiny-mel256", "mean_pooled.npy").ToFloat32();
    public static string RealSong => SharedData.Require("audio", "joram-moments_of_clarity-08-solipsism-59-88.mp3");
}

/// <summary>
/// Points the module at a loopback hub for one test: HF_ENDPOINT set, the test run's AUDIOEMBED_OFFLINE lifted, an empty
/// (or the given) Hugging Face cache, and optionally a token. Restores everything when disposed.
/// </summary>
public sealed class HubEnvironment : IDisposable
{
    private readonly List<EnvironmentOverride> _overrides = new();

    public HubEnvironment(string? endpoint, string? cacheRoot = null, string? token = null, bool offline = false)
    {
        _ = TestStore.Home; // the run's own settings first, so that these override them (and are restored over them)
        Set(HubSettings.EndpointVariable, endpoint);
        Set(Downloader.OfflineVariable, offline ? "1" : null);
        Set(HubSettings.OfflineVariable, null);
        Set(HubSettings.TokenVariable, token);
        Set(HubCache.CacheVariable, cacheRoot ?? TestStore.TempDir("hf-cache-empty"));
        Store = TestStore.TempDir("hub-store");
    }

    public string Store { get; }

    public void Set(string name, string? value) => _overrides.Add(new EnvironmentOverride(name, value));

    public ModelManifest Manifest(string folder, string variant) => ModelManifest.Load(Path.Combine(Store, "models", folder, variant, ModelManifest.FileName));

    public bool Installed(string folder, string variant) => Directory.Exists(Path.Combine(Store, "models", folder, variant));

    /// <summary>Nothing of a refused install may remain: no model folder, no staging folder, no partial download.</summary>
    public void AssertNothingInstalled(string folder)
    {
        var dir = Path.Combine(Store, "models", folder);
        Assert.True(!Directory.Exists(dir) || Directory.GetDirectories(dir).Length == 0, $"a folder was left in '{dir}'");
        var downloads = Path.Combine(Store, "downloads");
        Assert.True(!Directory.Exists(downloads) || Directory.GetFiles(downloads).Length == 0, "a download was left behind");
    }

    public void Dispose()
    {
        for (int i = _overrides.Count - 1; i >= 0; i--) _overrides[i].Dispose();
    }
}
