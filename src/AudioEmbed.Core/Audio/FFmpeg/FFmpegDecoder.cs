using AudioEmbed.Core.Audio.Wav;

namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>
/// Decodes any audio ffmpeg reads (Ogg Vorbis/Opus, MP4/M4A AAC/ALAC, WMA, ...) by streaming its output.
/// ffmpeg writes the first audio stream at its native rate and channel count as float32 in a WAV container to
/// stdout; the WAV header carries the rate and channel count, so no separate ffprobe run or parsing of ffmpeg's
/// human-readable log is needed, and the numbers always describe the samples that follow. Memory stays one
/// block whatever the file length.
/// </summary>
public sealed class FFmpegDecoder : IAudioSource
{
    private readonly FFmpegProcess _process;
    private readonly WavDecoder _wav;
    private readonly string _path;
    private readonly CancellationToken _cancellation;
    private bool _ended;
    private bool _disposed;

    private FFmpegDecoder(FFmpegProcess process, WavDecoder wav, string path, CancellationToken cancellation)
    {
        _process = process;
        _wav = wav;
        _path = path;
        _cancellation = cancellation;
    }

    public int SampleRate => _wav.SampleRate;

    public int Channels => _wav.Channels;

    /// <summary>Always null: ffmpeg's pipe does not say in advance (use AudioFileInfo for a duration).</summary>
    public long? TotalFrames => null;

    /// <summary>The ffmpeg child while it runs (tests check it is reaped).</summary>
    internal System.Diagnostics.Process Process => _process.Process;

    /// <summary>Whether the child has ended (after dispose: whether it was killed and reaped).</summary>
    internal bool ProcessHasExited => _process.HasExited;

    /// <summary>Finds ffmpeg (explicit path, $AUDIOEMBED_FFMPEG, PATH) and starts decoding <paramref name="path"/>.</summary>
    public static FFmpegDecoder Open(string path, string? ffmpegPath = null, CancellationToken cancellation = default) =>
        Open(path, FFmpegLocator.Require(path, ffmpegPath, $"Decoding '{Path.GetFileName(path)}' through ffmpeg"), cancellation);

    public static FFmpegDecoder Open(string path, FFmpegTools tools, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(tools);
        cancellation.ThrowIfCancellationRequested();
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new AudioDecodeException(path, "the file does not exist");

        var process = FFmpegProcess.Start(tools.FFmpeg, Arguments(full), path, cancellation);
        try
        {
            WavDecoder wav;
            try
            {
                wav = WavDecoder.Open(process.Output, path, leaveOpen: true);
            }
            catch (Exception e) when (e is AudioDecodeException or IOException)
            {
                // No header came: ffmpeg stopped before its first sample, and its own message says why.
                cancellation.ThrowIfCancellationRequested();
                process.ThrowIfFailed();
                throw new AudioDecodeException(path, "ffmpeg ended without writing any audio: " + (e is AudioDecodeException a ? a.Problem : e.Message), inner: e);
            }
            return new FFmpegDecoder(process, wav, path, cancellation);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// "file:" plus an absolute path: a name starting with '-' is never read as an option, and one holding ':'
    /// is never read as a protocol. The first audio stream only, native rate and channels (no -ar/-ac).
    /// </summary>
    internal static string[] Arguments(string fullPath) =>
    [
        "-nostdin", "-hide_banner", "-v", "error",
        "-i", "file:" + fullPath,
        "-map", "0:a:0",
        "-f", "wav", "-acodec", "pcm_f32le",
        "-",
    ];

    public int Read(Span<float> interleaved)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ended) return 0;
        int frames;
        try
        {
            frames = _wav.Read(interleaved);
        }
        catch (Exception e) when (e is IOException or AudioDecodeException)
        {
            _cancellation.ThrowIfCancellationRequested();
            _ended = true;
            if (_process.HasExited) _process.ThrowIfFailed();
            throw e is AudioDecodeException ? e : new AudioDecodeException(_path, "reading ffmpeg's output failed: " + e.Message, inner: e);
        }
        if (frames == 0)
        {
            // End of the pipe: a kill by cancellation, a failure, or a clean end - the exit code tells which.
            _ended = true;
            _cancellation.ThrowIfCancellationRequested();
            _process.ThrowIfFailed();
        }
        return frames;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _wav.Dispose();
        _process.Dispose();
    }
}
