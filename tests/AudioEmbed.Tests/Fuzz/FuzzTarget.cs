using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Checkpoints;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// One reader entry point under fuzz: the file it mutates (written as <see cref="FileName"/> into a case folder
/// beside <see cref="Companions"/>, the unmutated files it needs), and what it does with it. A case passes when
/// <see cref="Exercise"/> returns or throws one of the module's own error types, which name the file and the
/// problem; any other exception, or no answer within the time limit, is a bug.
/// </summary>
public sealed record FuzzTarget(
    string Name,
    string FileName,
    IReadOnlyList<string[]> Seeds,
    Action<string> Exercise,
    IReadOnlyList<string[]>? Companions = null,
    int MaxSeedBytes = 64 * 1024)
{
    /// <summary>The errors a reader may raise for bad input: each names the file and the problem.</summary>
    public static bool IsCleanRejection(Exception e) =>
        e is AudioDecodeException or CheckpointException or NpyFormatException or ModelStoreException;

    public override string ToString() => Name;
}
