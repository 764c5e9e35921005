using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.FFmpeg;

namespace AudioEmbed.Tests.FFmpeg;

/// <summary>Tests that start ffmpeg run one class at a time, so the child-process checks see only their own children.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FFmpegCollection
{
    public const string Name = "ffmpeg processes";
}

internal static class FFmpegTestSupport
{
    /// <summary>The ffmpeg the module would use; skips the test with the reason when there is none.</summary>
    public static FFmpegTools Require()
    {
        var tools = FFmpegLocator.Find(null, out var searched);
        Skip.If(tools is null, $"ffmpeg is not installed ({searched}): install it (apt-get install ffmpeg) to run the ffmpeg tests.");
        return tools!;
    }

    public static FFmpegTools RequireProbe()
    {
        var tools = Require();
        Skip.If(tools.FFprobe is null, "ffprobe is not installed beside ffmpeg nor on PATH.");
        return tools;
    }

    public static DecoderOptions ForceFFmpeg => new(DecoderPreference.FFmpeg);

    /// <summary>Reads in odd-sized blocks so block boundaries fall mid-packet.</summary>
    public static float[] ReadAllInBlocks(IAudioSource source, int framesPerBlock = 1001)
    {
        var all = new List<float>();
        var block = new float[framesPerBlock * source.Channels];
        int n;
        while ((n = source.Read(block)) > 0) all.AddRange(block.AsSpan(0, n * source.Channels));
        return all.ToArray();
    }

    /// <summary>
    /// Live or zombie ffmpeg children of this test process (Linux /proc): a child that was killed but never
    /// waited for stays as a zombie, so this catches both a leaked and an unreaped process.
    /// </summary>
    public static List<(int Pid, char State)> FFmpegChildren()
    {
        var found = new List<(int, char)>();
        if (!OperatingSystem.IsLinux()) return found;
        int self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
            int close = stat.LastIndexOf(')');
            int open = stat.IndexOf('(');
            if (close < 0 || open < 0) continue;
            var comm = stat.Substring(open + 1, close - open - 1);
            var rest = stat[(close + 2)..].Split(' ');
            if (comm.StartsWith("ff", StringComparison.Ordinal) && int.Parse(rest[1]) == self) found.Add((pid, rest[0][0]));
        }
        return found;
    }

    /// <summary>Process exit is asynchronous to the kill: allow a moment before calling a child leaked.</summary>
    public static void AssertNoFFmpegChildren()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<(int Pid, char State)> left;
        while ((left = FFmpegChildren()).Count > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.True(left.Count == 0, "ffmpeg children still present: " + string.Join(", ", left.Select(c => $"{c.Pid} state {c.State}")));
    }
}
