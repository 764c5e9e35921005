using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>
/// One ffmpeg/ffprobe run: arguments passed as a list (no shell, so no quoting bugs), stdout as a byte stream,
/// stderr drained into a bounded capture, and a child that is always killed and reaped on dispose or cancellation.
/// </summary>
internal sealed class FFmpegProcess : IDisposable
{
    private static readonly TimeSpan ReapWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly BoundedTextCapture _stderr;
    private readonly CancellationTokenRegistration _onCancel;
    private readonly string _file;
    private readonly string _tool;
    private bool _disposed;
    private bool _reaped;

    private FFmpegProcess(Process process, string file, string tool, CancellationToken cancellation)
    {
        _process = process;
        _file = file;
        _tool = tool;
        _stderr = new BoundedTextCapture(process.StandardError);
        _onCancel = cancellation.Register(Kill);
    }

    /// <summary>The child, for tests that check it was reaped.</summary>
    internal Process Process => _process;

    public Stream Output => _process.StandardOutput.BaseStream;

    public static FFmpegProcess Start(string executable, IEnumerable<string> arguments, string file, CancellationToken cancellation)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var tool = Path.GetFileNameWithoutExtension(executable);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            process.Dispose();
            throw new AudioDecodeException(file, $"cannot start {tool} '{executable}': {e.Message}", inner: e);
        }
        // ffmpeg is also told -nostdin; closing stdin makes sure nothing waits on the console.
        try { process.StandardInput.Close(); } catch (IOException) { }
        return new FFmpegProcess(process, file, tool, cancellation);
    }

    /// <summary>Waits for the exit that follows the end of stdout; a non-zero code becomes an error with the tool's message.</summary>
    public void ThrowIfFailed()
    {
        if (!_process.WaitForExit(ReapWait))
        {
            Kill();
            throw new AudioDecodeException(_file, $"{_tool} closed its output but did not exit; it was stopped");
        }
        if (_process.ExitCode != 0)
            throw new AudioDecodeException(_file, FailureMessage());
    }

    /// <summary>"ffmpeg failed (exit code 1): ..." with the captured stderr, or a generic line when it printed nothing.</summary>
    public string FailureMessage()
    {
        var text = Collapse(_stderr.Text(ReapWait));
        var code = _process.HasExited ? $" (exit code {_process.ExitCode})" : "";
        return text.Length > 0 ? $"{_tool} failed{code}: {text}" : $"{_tool} failed{code} without a message";
    }

    /// <summary>True once the child has ended; after dispose, whether it had been reaped by then.</summary>
    public bool HasExited => _disposed ? _reaped : _process.HasExited;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _onCancel.Dispose();
        Kill();
        try { _reaped = _process.WaitForExit(ReapWait); } catch (InvalidOperationException) { _reaped = true; }
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited between the check and the kill.
        }
    }

    /// <summary>ffmpeg prints one problem per line; joined, they read as one message.</summary>
    private static string Collapse(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
