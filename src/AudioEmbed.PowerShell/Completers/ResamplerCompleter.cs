using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AudioEmbed.PowerShell.Completers;

/// <summary>
/// Tab completion of Get-AudioEmbedding -Resampler: the resamplers, and with several -Model also Model=Resampler
/// pairs for each model named (a plain value applies to every model).
/// </summary>
public sealed class ResamplerCompleter : IArgumentCompleter
{
    private static readonly (string Name, string Tip)[] Values =
    {
        (ResamplerNames.SoxrHq, "libsoxr HQ, as librosa >= 0.10 (MERT and EnCodecMAE default)"),
        (ResamplerNames.Torchaudio, "torchaudio.functional.resample (the MERT model card)"),
        (ResamplerNames.Resampy, "resampy kaiser_best, -ResampyVersion picks its tables (MusiCNN default)"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = new List<CompletionResult>();
        foreach (var (name, tip) in Values)
            if (CompletionContext.Matches(name, wordToComplete)) results.Add(CompletionContext.Result(name, tip));
        var families = CompletionContext.Families(commandName, fakeBoundParameters);
        if (families.Count > 1)
            foreach (var family in families)
                foreach (var (name, tip) in Values)
                    if (CompletionContext.Matches($"{family.Name}={name}", wordToComplete))
                        results.Add(CompletionContext.Result($"{family.Name}={name}", $"{family.Name} only: {tip}"));
        return results;
    }
}
