using System.Management.Automation;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Get-Help shows, for every cmdlet, a synopsis, every parameter with a description, and examples.</summary>
[Collection(PowerShellCollection.Name)]
public class HelpTests
{
    public static TheoryData<string> Cmdlets() => new()
    {
        "Get-AudioEmbedding", "Export-EmbeddingNpy", "Import-EmbeddingNpy", "Get-EmbeddingStatus", "Install-AudioEmbedModel", "Uninstall-AudioEmbedModel", "Get-AudioEmbedModel", "Get-AudioFileInfo",
        "Find-SimilarAudio", "Export-EmbeddingTable", "Compare-AudioEmbedding",
    };

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void FullHelp_HasSynopsisEveryParameterAndExamples(string cmdlet)
    {
        using var host = new ModuleHost();
        var help = host.Run($"Get-Help {cmdlet} -Full").ThrowIfErrors().Output.Single();
        var synopsis = ((string)help.Properties["Synopsis"].Value).Trim();
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain(cmdlet + " [", synopsis); // the auto-generated stand-in help starts with the syntax

        var documented = host.Run($"(Get-Help {cmdlet} -Full).parameters.parameter | ForEach-Object {{ $_.name + '=' + (($_.description | ForEach-Object {{ $_.Text }}) -join ' ') }}")
            .ThrowIfErrors().All<string>().ToDictionary(s => s[..s.IndexOf('=')], s => s[(s.IndexOf('=') + 1)..]);
        var declared = host.Run($"(Get-Command {cmdlet}).Parameters.Keys").ThrowIfErrors().All<string>()
            .Where(p => !CommonParameters.Contains(p)).ToList();
        foreach (var parameter in declared)
        {
            Assert.True(documented.ContainsKey(parameter), $"{cmdlet} -{parameter} is not in the help");
            Assert.False(string.IsNullOrWhiteSpace(documented[parameter]), $"{cmdlet} -{parameter} has no description");
        }
        var examples = host.Run($"@((Get-Help {cmdlet} -Full).examples.example).Count").ThrowIfErrors().Single<int>();
        Assert.True(examples >= 2, $"{cmdlet} has {examples} examples");
    }

    [Fact]
    public void AboutTopic_IsAvailable()
    {
        using var host = new ModuleHost();
        var text = string.Join("\n", host.Run("[string](Get-Help about_AudioEmbed)").ThrowIfErrors().All<string>());
        Assert.Contains("AUDIOEMBED_HOME", text);
        Assert.Contains("Get-EmbeddingStatus", text);
    }

    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };
}
