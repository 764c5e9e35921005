using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>
/// Keeps the help true to the module. Every rule takes the cmdlet list and parameter metadata from the imported
/// module (Get-Command), so a cmdlet or parameter added later is checked without touching these tests:
/// about_AudioEmbed names every cmdlet (THE CMDLETS and SEE ALSO) and every cmdlet's RELATED LINKS lead to
/// about_AudioEmbed and only to commands that exist; every parameter is documented in the parameters section and
/// every parameter set has its syntax item; parameters with accepted values (enums, ValidateSet or ValidatePerModelSet,
/// -Model's catalog families) list exactly those values; switches show no value; every example parses and uses only existing
/// commands and parameters; the stale words of older versions are gone.
/// </summary>
[Collection(PowerShellCollection.Name)]
public class HelpTruthTests
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly HashSet<string> ShouldProcessParameters = new(StringComparer.OrdinalIgnoreCase) { "WhatIf", "Confirm" };

    /// <summary>Commands of PowerShell 7 the examples may use (the hosted runspace loads only the engine's core).</summary>
    private static readonly HashSet<string> PowerShellCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get-ChildItem", "Get-Item", "Copy-Item", "Remove-Item", "New-Item", "Test-Path", "Join-Path", "Split-Path", "Resolve-Path",
        "Where-Object", "ForEach-Object", "Select-Object", "Sort-Object", "Group-Object", "Measure-Object", "Format-Table", "Format-List",
        "Export-Csv", "Import-Csv", "ConvertTo-Json", "ConvertFrom-Json", "Get-Content", "Set-Content", "Out-File", "Out-Null",
        "Write-Host", "Write-Output", "Start-ThreadJob", "Receive-Job", "Get-Command", "Get-Help", "Import-Module", "Tee-Object",
    };

    /// <param name="Pairs">ValidatePerModelSet: a value may also be Model=Value, whose value part is one of <paramref name="Values"/>.</param>
    private sealed record ParameterFacts(string Name, bool Switch, string[]? Values, string[] Aliases, bool Pairs = false);

    private sealed record CmdletFacts(string Name, Dictionary<string, ParameterFacts> Parameters, List<HashSet<string>> ParameterSets);

    private static (List<CmdletFacts> Cmdlets, string[] Families) Module(ModuleHost host)
    {
        var rows = host.Run(@"
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            foreach ($c in Get-Command -Module AudioEmbed) {
                foreach ($p in $c.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
                    $t = $p.ParameterType
                    $e = if ($t.IsArray) { $t.GetElementType() } else { $t }
                    $e = [Nullable]::GetUnderlyingType($e) ?? $e
                    $set = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] -or $_.GetType().Name -eq 'ValidatePerModelSetAttribute' }
                    $pairs = [bool]($p.Attributes | Where-Object { $_.GetType().Name -eq 'ValidatePerModelSetAttribute' })
                    $kind = if ($p.Attributes | Where-Object { $_.GetType().Name -eq 'ValidateModelFamilyAttribute' }) { 'catalog' }
                            elseif ($set) { ($pairs ? 'pairs:' : 'set:') + ($set.ValidValues -join ',') }
                            elseif ($e.IsEnum) { 'set:' + ([Enum]::GetNames($e) -join ',') }
                            elseif ($t -eq [switch]) { 'switch' } else { '' }
                    'P|{0}|{1}|{2}|{3}' -f $c.Name, $p.Name, $kind, ($p.Aliases -join ',')
                }
                foreach ($s in $c.ParameterSets) {
                    'S|{0}|{1}' -f $c.Name, (($s.Parameters.Name | Where-Object { $common -notcontains $_ }) -join ',')
                }
            }").ThrowIfErrors().All<string>().ToList();
        var families = TestStore.Catalog.Families.Select(f => f.Name).ToArray();
        var cmdlets = new Dictionary<string, CmdletFacts>();
        foreach (var row in rows)
        {
            var f = row.Split('|');
            if (!cmdlets.TryGetValue(f[1], out var c)) cmdlets[f[1]] = c = new CmdletFacts(f[1], new(StringComparer.OrdinalIgnoreCase), new());
            if (f[0] == "P")
            {
                bool pairs = f[3].StartsWith("pairs:");
                string[]? values = f[3] == "catalog" ? families : f[3].StartsWith("set:") ? f[3][4..].Split(',') : pairs ? f[3][6..].Split(',') : null;
                c.Parameters[f[2]] = new ParameterFacts(f[2], f[3] == "switch", values, f[4].Split(',', StringSplitOptions.RemoveEmptyEntries), pairs);
            }
            else c.ParameterSets.Add(f[2].Split(',', StringSplitOptions.RemoveEmptyEntries).Where(p => !ShouldProcessParameters.Contains(p)).ToHashSet(StringComparer.OrdinalIgnoreCase));
        }
        return (cmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList(), families);
    }

    private static XDocument HelpXml() => XDocument.Load(Path.Combine(SharedData.ModuleDir, "en-US", "AudioEmbed.PowerShell.dll-Help.xml"));

    private static string AboutText() => File.ReadAllText(Path.Combine(SharedData.ModuleDir, "en-US", "about_AudioEmbed.help.txt"));

    private static XElement HelpOf(XDocument help, string cmdlet) =>
        help.Root!.Elements(Command + "command").SingleOrDefault(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == cmdlet)
        ?? throw new Xunit.Sdk.XunitException($"{cmdlet} has no entry in the MAML help");

    private static string ParameterName(XElement parameter) => parameter.Element(Maml + "name")!.Value.Trim();

    /// <summary>Collects every broken rule, so one run names them all.</summary>
    private static void AssertNone(List<string> problems) =>
        Assert.True(problems.Count == 0, "The help disagrees with the module (accepted values and switches: see docs/surface.md, tools/sync-help-values.py):\n" + string.Join("\n", problems));

    [Fact]
    public void AboutTopic_NamesEveryCmdlet_InTheCmdletsSectionAndInSeeAlso()
    {
        using var host = new ModuleHost();
        var (cmdlets, _) = Module(host);
        var about = AboutText();
        string cmdletSection = Regex.Match(about, @"THE CMDLETS\n(.*?)\n  [A-Z][A-Z ]+\n", RegexOptions.Singleline).Groups[1].Value;
        string seeAlso = about[(about.LastIndexOf("SEE ALSO", StringComparison.Ordinal) + 8)..];
        var problems = new List<string>();
        foreach (var c in cmdlets)
        {
            if (!Regex.IsMatch(cmdletSection, $@"^\s+{Regex.Escape(c.Name)}\s", RegexOptions.Multiline)) problems.Add($"about_AudioEmbed THE CMDLETS does not describe {c.Name}");
            if (!Regex.IsMatch(seeAlso, $@"^\s+{Regex.Escape(c.Name)}\s*$", RegexOptions.Multiline)) problems.Add($"about_AudioEmbed SEE ALSO does not list {c.Name}");
        }
        AssertNone(problems);
    }

    [Fact]
    public void EveryCmdlet_LinksAboutAudioEmbed_AndOnlyToCommandsThatExist()
    {
        using var host = new ModuleHost();
        var (cmdlets, _) = Module(host);
        var names = cmdlets.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var help = HelpXml();
        var problems = new List<string>();
        foreach (var c in cmdlets)
        {
            var links = HelpOf(help, c.Name).Descendants(Maml + "linkText").Select(l => l.Value.Trim()).ToList();
            if (!links.Contains("about_AudioEmbed")) problems.Add($"{c.Name}: RELATED LINKS lack about_AudioEmbed");
            foreach (var link in links.Where(l => l != "about_AudioEmbed" && !names.Contains(l) && !PowerShellCommands.Contains(l)))
                problems.Add($"{c.Name}: RELATED LINKS name '{link}', which is not a command");
            if (links.Count != links.Distinct().Count()) problems.Add($"{c.Name}: a RELATED LINK is repeated");
        }
        // No help entry for a cmdlet the module does not export (a renamed or removed one).
        foreach (var entry in help.Root!.Elements(Command + "command").Select(e => e.Element(Command + "details")!.Element(Command + "name")!.Value))
            if (!names.Contains(entry)) problems.Add($"the help documents '{entry}', which the module does not export");
        AssertNone(problems);
    }

    [Fact]
    public void EveryParameter_IsDocumented_AndEveryParameterSetHasItsSyntax()
    {
        using var host = new ModuleHost();
        var (cmdlets, _) = Module(host);
        var help = HelpXml();
        var problems = new List<string>();
        foreach (var c in cmdlets)
        {
            var entry = HelpOf(help, c.Name);
            if (string.IsNullOrWhiteSpace(entry.Element(Command + "details")!.Element(Maml + "description")?.Value)) problems.Add($"{c.Name}: no synopsis");
            if (!entry.Descendants(Command + "example").Any()) problems.Add($"{c.Name}: no example");
            var section = entry.Element(Command + "parameters")?.Elements(Command + "parameter").ToDictionary(ParameterName, p => p, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, XElement>();
            foreach (var p in c.Parameters.Values.Where(p => !ShouldProcessParameters.Contains(p.Name)))
            {
                if (!section.TryGetValue(p.Name, out var documented)) { problems.Add($"{c.Name} -{p.Name}: not in the parameters section"); continue; }
                if (string.IsNullOrWhiteSpace(documented.Element(Maml + "description")?.Value)) problems.Add($"{c.Name} -{p.Name}: no description");
            }
            foreach (var name in section.Keys.Where(n => !c.Parameters.ContainsKey(n) && !ShouldProcessParameters.Contains(n)))
                problems.Add($"{c.Name}: the help documents -{name}, which the cmdlet does not have");
            var syntax = entry.Descendants(Command + "syntaxItem")
                .Select(s => s.Elements(Command + "parameter").Select(ParameterName).Where(n => !ShouldProcessParameters.Contains(n)).ToHashSet(StringComparer.OrdinalIgnoreCase)).ToList();
            foreach (var set in c.ParameterSets.Where(set => !syntax.Any(s => s.SetEquals(set))))
                problems.Add($"{c.Name}: no syntax item for the parameter set ({string.Join(", ", set)})");
            foreach (var item in syntax.Where(s => !c.ParameterSets.Any(set => set.SetEquals(s))))
                problems.Add($"{c.Name}: the syntax item ({string.Join(", ", item)}) is no parameter set of the cmdlet");
        }
        AssertNone(problems);
    }

    [Fact]
    public void AcceptedValues_AreListedExactly_AndSwitchesShowNoValue()
    {
        using var host = new ModuleHost();
        var (cmdlets, families) = Module(host);
        Assert.Contains(cmdlets.SelectMany(c => c.Parameters.Values), p => p.Values == families); // -Model is held to the catalog
        var help = HelpXml();
        var problems = new List<string>();
        foreach (var c in cmdlets)
        {
            var entry = HelpOf(help, c.Name);
            foreach (var occurrence in entry.Descendants(Command + "parameter").Where(e => e.Parent!.Name == Command + "syntaxItem" || e.Parent!.Name == Command + "parameters"))
            {
                string name = ParameterName(occurrence);
                if (!c.Parameters.TryGetValue(name, out var p)) continue; // reported by the documentation test
                string where = occurrence.Parent!.Name == Command + "syntaxItem" ? "syntax" : "parameters section";
                var listed = occurrence.Element(Command + "parameterValueGroup")?.Elements(Command + "parameterValue").Select(v => v.Value.Trim()).ToArray();
                if (p.Values != null && (listed is null || !listed.Order(StringComparer.Ordinal).SequenceEqual(p.Values.Order(StringComparer.Ordinal))))
                    problems.Add($"{c.Name} -{name} ({where}): lists {(listed is null ? "no values" : "{" + string.Join(" | ", listed) + "}")}, accepts {{{string.Join(" | ", p.Values)}}}");
                if (p.Values is null && listed != null)
                    problems.Add($"{c.Name} -{name} ({where}): lists values {{{string.Join(" | ", listed)}}} but accepts any {name}");
                if (p.Switch && occurrence.Element(Command + "parameterValue") != null)
                    problems.Add($"{c.Name} -{name} ({where}): a switch shown with a value (-{name} <{occurrence.Element(Command + "parameterValue")!.Value}>)");
                if (!p.Switch && occurrence.Element(Command + "parameterValue") is null)
                    problems.Add($"{c.Name} -{name} ({where}): takes a value but the help shows none");
                string aliases = occurrence.Attribute("aliases")?.Value ?? "none";
                var documentedAliases = aliases == "none" ? Array.Empty<string>() : aliases.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (!documentedAliases.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(p.Aliases.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
                    problems.Add($"{c.Name} -{name} ({where}): aliases '{aliases}', the cmdlet has '{string.Join(", ", p.Aliases)}'");
            }
        }
        AssertNone(problems);
    }

    /// <summary>The code of an example: its "PS&gt; " lines and the indented lines continuing them; output lines are not code.</summary>
    internal static string ExampleCode(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (!lines.Any(l => l.StartsWith("PS> ", StringComparison.Ordinal) || l == "PS>")) return text;
        var code = new List<string>();
        bool inCommand = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("PS>", StringComparison.Ordinal)) { code.Add(line.Length > 3 ? line[4..] : ""); inCommand = true; }
            else if (inCommand && line.Length > 0 && char.IsWhiteSpace(line[0])) code.Add(line);
            else inCommand = false;
        }
        return string.Join("\n", code);
    }

    [Fact]
    public void EveryExample_Parses_AndUsesOnlyExistingCommandsAndParameters()
    {
        using var host = new ModuleHost();
        var (cmdlets, _) = Module(host);
        var byName = cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        var common = new HashSet<string>(Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
        var help = HelpXml();
        var problems = new List<string>();
        int checkedCalls = 0;
        foreach (var c in cmdlets)
        {
            int n = 0;
            foreach (var example in HelpOf(help, c.Name).Descendants(Command + "example"))
            {
                n++;
                string code = ExampleCode(example.Element(Dev + "code")?.Value ?? "");
                var ast = Parser.ParseInput(code, out _, out var errors);
                foreach (var e in errors) problems.Add($"{c.Name} example {n}: does not parse: {e.Message} in: {e.Extent.Text}");
                foreach (var call in ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>())
                {
                    string? command = call.GetCommandName();
                    if (command is null || command.Contains('\\') || command.Contains('/')) continue; // & $script, .\tool.exe
                    if (!byName.TryGetValue(command, out var target))
                    {
                        if (!PowerShellCommands.Contains(command) && !Regex.IsMatch(command, "^[a-z]+$"))
                            problems.Add($"{c.Name} example {n}: '{command}' is neither an AudioEmbed cmdlet nor a known PowerShell command");
                        continue;
                    }
                    checkedCalls++;
                    foreach (var parameter in call.CommandElements.OfType<CommandParameterAst>())
                    {
                        string name = parameter.ParameterName;
                        bool known = common.Contains(name) || target.Parameters.ContainsKey(name)
                            || target.Parameters.Values.Any(p => p.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
                        if (!known) problems.Add($"{c.Name} example {n}: {command} has no parameter -{name}");
                        else if (target.Parameters.TryGetValue(name, out var p) && p.Values != null && parameter.Argument is null
                            && call.CommandElements.SkipWhile(e => e != parameter).Skip(1).FirstOrDefault() is StringConstantExpressionAst value
                            && !p.Values.Contains(p.Pairs && value.Value.IndexOf('=') > 0 ? value.Value[(value.Value.IndexOf('=') + 1)..] : value.Value, StringComparer.OrdinalIgnoreCase))
                            problems.Add($"{c.Name} example {n}: {command} -{name} {value.Value} is not an accepted value ({string.Join(", ", p.Values)})");
                    }
                }
            }
        }
        Assert.True(checkedCalls > 20, $"only {checkedCalls} AudioEmbed calls found in the examples: is the example extraction broken?");
        AssertNone(problems);
    }

    [Fact]
    public void GetAudioEmbeddingExamples_ShowEveryCatalogFamily()
    {
        var examples = HelpOf(HelpXml(), "Get-AudioEmbedding").Descendants(Command + "example").Select(e => ExampleCode(e.Element(Dev + "code")!.Value)).ToList();
        foreach (var family in TestStore.Catalog.Families.Skip(1)) // the first (default) needs no -Model
            Assert.Contains(examples, code => Regex.IsMatch(code, $@"Get-AudioEmbedding\b[^|\n]*-Model {Regex.Escape(family.Name)}\b", RegexOptions.IgnoreCase));
    }

    [Theory]
    [InlineData(@"\(MusiCNN today\)")]
    [InlineData(@"\b(Mert|EnCodecMAE) \(later\)")]
    [InlineData(@"\bsix cmdlets\b")]
    [InlineData(@"\bworks today\b")]
    public void StaleWords_AreGone(string pattern)
    {
        var texts = new Dictionary<string, string>
        {
            ["MAML help"] = File.ReadAllText(Path.Combine(SharedData.ModuleDir, "en-US", "AudioEmbed.PowerShell.dll-Help.xml")),
            ["about_AudioEmbed"] = AboutText(),
        };
        foreach (var file in Directory.EnumerateFiles(Path.Combine(SharedData.RepoRoot, "src", "AudioEmbed.PowerShell"), "*.cs", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(Path.Combine(SharedData.RepoRoot, "src", "AudioEmbed.Core"), "*.cs", SearchOption.AllDirectories)))
            texts[file] = File.ReadAllText(file);
        foreach (var (name, text) in texts)
            Assert.False(Regex.IsMatch(text, pattern), $"{name} still says /{pattern}/");
    }

    [Fact]
    public void ExampleCode_TakesPromptedLinesAndTheirContinuations_NotOutput()
    {
        var code = ExampleCode("PS> Get-A |\n      Get-B\n\nName  Status\n----  ------\nPS> $x\nvalue");
        Assert.Equal("Get-A |\n      Get-B\n$x", code);
    }
}
