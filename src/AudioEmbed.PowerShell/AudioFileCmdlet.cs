using System.Management.Automation;

namespace AudioEmbed.PowerShell;

/// <summary>
/// The input side shared by the cmdlets that read audio files: -Path (wildcards; strings and rows with a Path
/// property) and -LiteralPath (FileInfo objects through PSPath/FullName, Get-EmbeddingStatus -Missing objects through
/// AudioPath), resolved to existing files.
/// </summary>
public abstract class AudioFileCmdlet : PSCmdlet
{
    protected const string PathSet = "Path";
    protected const string LiteralSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP", "AudioPath")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The files this record names; paths that do not resolve are non-terminating errors.</summary>
    protected List<string> InputFiles() =>
        PathResolution.ResolveFiles(this, ParameterSetName == LiteralSet ? LiteralPath : Path, ParameterSetName == LiteralSet).ToList();
}
