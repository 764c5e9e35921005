namespace AudioEmbed.Core.Output;

/// <summary>A .npy file that is not one, or whose header does not agree with its contents.</summary>
public sealed class NpyFormatException : Exception
{
    public NpyFormatException(string path, string problem) : base($"'{path}' is not a valid .npy file: {problem}")
    {
        FilePath = path;
        Problem = problem;
    }

    public string FilePath { get; }
    public string Problem { get; }
}
