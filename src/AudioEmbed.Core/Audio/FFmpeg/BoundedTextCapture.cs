using System.Text;

namespace AudioEmbed.Core.Audio.FFmpeg;

/// <summary>
/// Drains a child's stderr on a background task, keeping its beginning and its end only: a corrupt file can make
/// ffmpeg print an error per packet, and neither memory nor the message shown should grow with that. Draining at
/// all matters: a child blocked on a full stderr pipe would stop writing stdout and hang the reader.
/// </summary>
internal sealed class BoundedTextCapture
{
    private const int HeadChars = 4000;
    private const int TailChars = 2000;

    private readonly StringBuilder _head = new();
    private readonly char[] _tail = new char[TailChars];
    private long _tailWritten;
    private readonly Task _drain;

    public BoundedTextCapture(TextReader reader) => _drain = Task.Run(() => Drain(reader));

    /// <summary>What was captured, once the writer closed its end (or after <paramref name="wait"/>).</summary>
    public string Text(TimeSpan wait)
    {
        try { _drain.Wait(wait); } catch (AggregateException) { /* a broken pipe ends the capture; keep what came */ }
        lock (_head)
        {
            if (_tailWritten == 0) return _head.ToString().Trim();
            int kept = (int)Math.Min(_tailWritten, TailChars);
            var tail = new char[kept];
            for (int i = 0; i < kept; i++) tail[i] = _tail[(_tailWritten - kept + i) % TailChars];
            var skipped = _tailWritten > TailChars ? " [...] " : "";
            return (_head + skipped + new string(tail)).Trim();
        }
    }

    private void Drain(TextReader reader)
    {
        var buffer = new char[1024];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            lock (_head)
            {
                int toHead = Math.Min(n, HeadChars - _head.Length);
                if (toHead > 0) _head.Append(buffer, 0, toHead);
                for (int i = toHead; i < n; i++) _tail[_tailWritten++ % TailChars] = buffer[i];
            }
        }
    }
}
