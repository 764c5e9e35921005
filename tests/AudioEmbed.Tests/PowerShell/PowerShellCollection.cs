namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// The hosted-PowerShell tests share process-wide state (environment variables such as AUDIOEMBED_HOME and
/// AUDIOEMBED_MODEL_MIRROR, the module's static caches), so they run one after another; the pure unit tests
/// still run in parallel with them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PowerShellCollection
{
    public const string Name = "PowerShell";
}
