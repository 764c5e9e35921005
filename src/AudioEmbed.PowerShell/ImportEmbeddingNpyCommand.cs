using System.Management.Automation;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.PowerShell;

/// <summary>
/// Reads .npy embeddings back as AudioEmbedding objects; model, variant, layer and duration come from the manifest.jsonl
/// of their model folder (the model from the folder name when the manifest has no line for the file).
/// </summary>
[Cmdlet(VerbsData.Import, "EmbeddingNpy", DefaultParameterSetName = "Path")]
[OutputType(typeof(AudioEmbedding))]
public sealed class ImportEmbeddingNpyCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "OutputPath")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    private EmbeddingImporter? _importer;

    protected override void ProcessRecord()
    {
        _importer ??= new EmbeddingImporter(ModuleContext.Catalog);
        bool literal = ParameterSetName == "LiteralPath";
        foreach (var file in PathResolution.ResolveFiles(this, literal ? LiteralPath : Path, literal, "embedding file"))
        {
            try
            {
                WriteObject(_importer.Read(file));
            }
            catch (Exception ex) when (ex is NpyFormatException or IOException or UnauthorizedAccessException or InvalidDataException)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidNpy, ErrorCategory.InvalidData, file));
            }
        }
    }
}
