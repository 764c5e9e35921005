namespace AudioEmbed.Core.Checkpoints;

/// <summary>A model checkpoint that cannot be used: names the file, the key when there is one, and the problem.</summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string path, string problem, string? key = null, Exception? inner = null)
        : base(key is null ? $"Checkpoint '{path}': {problem}" : $"Checkpoint '{path}', '{key}': {problem}", inner)
    {
        FilePath = path;
        Key = key;
        Problem = problem;
    }

    public string FilePath { get; }
    public string? Key { get; }
    public string Problem { get; }
}
