namespace AudioEmbed.Core.Store.HuggingFace;

/// <summary>
/// The Hugging Face settings users already have: HF_ENDPOINT (a mirror), HF_TOKEN (gated or private repositories;
/// else the token file that `huggingface-cli login` writes), HF_HUB_OFFLINE. Deliberately a class without a
/// generated ToString: the token must never end up in a message, a log or a file.
/// </summary>
public sealed class HubSettings
{
    public const string DefaultEndpoint = "https://huggingface.co";
    public const string EndpointVariable = "HF_ENDPOINT";
    public const string TokenVariable = "HF_TOKEN";
    public const string OfflineVariable = "HF_HUB_OFFLINE";

    public HubSettings(string endpoint, string? token, bool offline)
    {
        if (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || !HubClient.IsAllowedTarget(uri))
            throw new ModelStoreException($"{EndpointVariable} '{endpoint}' is not usable: give an https URL (plain http only for this machine's loopback).");
        Endpoint = uri;
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        Offline = offline;
    }

    /// <summary>The hub's base URL (no trailing slash).</summary>
    public Uri Endpoint { get; }

    /// <summary>The bearer token; sent only to <see cref="Endpoint"/>'s host.</summary>
    internal string? Token { get; }

    public bool HasToken => Token != null;
    public bool Offline { get; }

    public static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";

    public static HubSettings FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token)) token = ReadTokenFile();
        bool offline = Downloader.Offline;
        return new HubSettings(string.IsNullOrWhiteSpace(endpoint) ? DefaultEndpoint : endpoint, token, offline);
    }

    /// <summary>The token saved by `huggingface-cli login` (HF_TOKEN_PATH, else HF_HOME/token, else ~/.cache/huggingface/token).</summary>
    private static string? ReadTokenFile()
    {
        var path = Environment.GetEnvironmentVariable("HF_TOKEN_PATH");
        if (string.IsNullOrWhiteSpace(path)) path = Path.Combine(HubCache.HfHome(), "token");
        try { return File.Exists(path) ? File.ReadAllText(path).Trim() : null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    public string ResolveUrl(string repository, string revision, string file) =>
        $"{Endpoint.AbsoluteUri.TrimEnd('/')}/{repository}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}";
}
