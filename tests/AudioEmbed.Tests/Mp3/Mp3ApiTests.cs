using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>Sniffing, stream opening and the streaming Read contract.</summary>
public class Mp3ApiTests
{
    [SkippableTheory]
    [InlineData("mp3", "l3-si.mp3", true)]
    [InlineData("mp3", "l3-sin1k0db.mp3", true)] // 215 zero bytes before the first frame
    [InlineData("mp3", "l3-nonstandard-id3v2.mp3", true)]
    [InlineData("corrupt", "png_named.mp3", false)]
    [InlineData("corrupt", "flac_named_as.mp3", false)]
    [InlineData("corrupt", "random_bytes.mp3", false)]
    [InlineData("corrupt", "empty.mp3", false)]
    public void LooksLikeMp3_sniffs_the_head(string folder, string file, bool expected)
    {
        var bytes = File.ReadAllBytes(SharedData.Require("fixtures", folder, file));
        Assert.Equal(expected, Mp3Decoder.LooksLikeMp3(bytes.AsSpan(0, Math.Min(bytes.Length, 4096))));
    }

    [SkippableFact]
    public void Stream_open_and_small_reads_give_the_same_samples_as_the_path()
    {
        var path = SharedData.Require("fixtures", "mp3", "M2L3_noise.mp3");
        float[] whole;
        using (var d = Mp3Decoder.Open(path)) whole = d.ReadAll();

        var stream = new NonSeekableStream(File.OpenRead(path));
        using var s = Mp3Decoder.Open(stream, "noise", leaveOpen: false);
        Assert.Equal(22050, s.SampleRate);
        Assert.Equal(2, s.Channels);
        Assert.Null(s.TotalFrames); // no Xing header
        var got = new List<float>();
        var block = new float[2 * 7];
        int n;
        while ((n = s.Read(block)) > 0)
        {
            Assert.InRange(n, 1, 7);
            got.AddRange(block.AsSpan(0, n * 2));
        }
        Assert.Equal(whole, got.ToArray());
        Assert.Equal(0, s.Read(block));
    }

    [Fact]
    public void Missing_file_is_a_decode_error()
    {
        var e = Assert.Throws<AudioDecodeException>(() => Mp3Decoder.Open("/nonexistent/dir/x.mp3"));
        Assert.Contains("x.mp3", e.Message);
    }

    /// <summary>Forwards reads only, in small pieces, like a network stream.</summary>
    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 1000));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
