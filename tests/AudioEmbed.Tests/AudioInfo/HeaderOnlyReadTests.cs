using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Wav;
using AudioEmbed.Tests.FFmpeg;

namespace AudioEmbed.Tests.AudioInfo;

/// <summary>
/// AudioFileInfo relies on opening a managed decoder reading only the header (MP3: the first frames), never decoding
/// the file: checked by counting the bytes each decoder pulls from its stream when opened.
/// </summary>
[Collection(FFmpegCollection.Name)] // the AIFF test starts ffmpeg, which the child-process checks must not see
public class HeaderOnlyReadTests
{
    /// <summary>Counts what the decoder reads; the bound below is far under each file's size.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) { int n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override int Read(Span<byte> buffer) { int n = inner.Read(buffer); BytesRead += n; return n; }
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }

    [SkippableFact]
    public void Opening_a_decoder_reads_only_the_head_of_the_file()
    {
        var mp3 = SharedData.Require("audio", "TRWJAZW128F42760DD_test.mp3");                       // 242 KB
        var flac = SharedData.Require("fixtures", "flac", "subset-01-blocksize_4096.flac");       // 550 KB
        var wav = SharedData.Require("fixtures", "corrupt", "wav_truncated_mid_data.wav");        // 20 KB

        using (var s = new CountingStream(File.OpenRead(mp3)))
        using (Mp3Decoder.Open(s, "mp3", leaveOpen: true)) Assert.InRange(s.BytesRead, 1, 64 * 1024);
        using (var s = new CountingStream(File.OpenRead(flac)))
        using (FlacDecoder.Open(s, "flac", leaveOpen: true)) Assert.InRange(s.BytesRead, 1, 64 * 1024);
        using (var s = new CountingStream(File.OpenRead(wav)))
        using (WavDecoder.Open(s, "wav", leaveOpen: true)) Assert.InRange(s.BytesRead, 1, 4 * 1024);
    }

    [SkippableFact]
    public void Aiff_made_by_ffmpeg()
    {
        var tools = FFmpegTestSupport.Require();
        var dir = Directory.CreateTempSubdirectory("aembed-aiff-").FullName;
        try
        {
            var aiff = Path.Combine(dir, "tone.aiff");
            using (var p = System.Diagnostics.Process.Start(tools.FFmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=32000", "-ac", "2", "-c:a", "pcm_s16be", aiff]))
                p.WaitForExit();
            var info = AudioFileInfo.Read(aiff);
            Assert.Equal("AIFF", info.Container);
            Assert.StartsWith("AIFF PCM 16-bit", info.Format);
            Assert.Equal((32000, 2, 16, 64000L), (info.SampleRate, info.Channels, info.BitsPerSample!.Value, info.Frames!.Value));
            Assert.Equal(2.0, info.Duration!.Value.TotalSeconds, 6);
        }
        finally { Directory.Delete(dir, true); }
    }
}
