namespace AudioEmbed.Core.Audio;

/// <summary>Audio that cannot be decoded: names the file, the byte offset when known, and the problem in words.</summary>
public sealed class AudioDecodeException : Exception
{
    public AudioDecodeException(string path, string problem, long? byteOffset = null, Exception? inner = null)
        : base(Format(path, problem, byteOffset), inner)
    {
        FilePath = path;
        Problem = problem;
        ByteOffset = byteOffset;
    }

    public string FilePath { get; }
    public string Problem { get; }
    public long? ByteOffset { get; }

    private static string Format(string path, string problem, long? offset) =>
        offset is long o ? $"Cannot decode '{path}' at byte {o}: {problem}" : $"Cannot decode '{path}': {problem}";
}
