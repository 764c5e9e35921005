using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;
using AudioEmbed.Core.Audio.Mp3;
using AudioEmbed.Core.Audio.Wav;
using AudioEmbed.Tests.PowerShell;

namespace AudioEmbed.Tests.Pipeline;

/// <summary>
/// Files cut short (an interrupted copy or download) decode to fewer samples than their header declares; each managed
/// decoder reports the declared length so the shortfall is detected, and a complete file is never called truncated.
/// The cut files are made here from real files of ../shared.
/// </summary>
public class TruncatedAudioTests
{
    /// <summary>Copies the first <paramref name="fraction"/> of a file's bytes to a scratch file.</summary>
    internal static string Cut(string source, double fraction, string? name = null)
    {
        var bytes = File.ReadAllBytes(source);
        var path = Path.Combine(TestStore.TempDir("truncated"), name ?? Path.GetFileName(source));
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        return path;
    }

    private static (long Decoded, TruncatedAudio? Truncation, long? Declared) Decode(IAudioSource source)
    {
        using (source)
        {
            long decoded = source.ReadAll().LongLength / source.Channels;
            return (decoded, TruncatedAudio.Check(source, decoded), (source as IDeclaredLength)?.DeclaredFrames);
        }
    }

    [SkippableTheory]
    [InlineData("ffmpeg_rf64_s16_stereo_48000.wav")]
    [InlineData("ext_float32_stereo_32000.wav")]
    public void Wav_CutFileIsTruncated_CompleteFileIsNot(string file)
    {
        var complete = SharedData.Require("fixtures", "wav", file);
        var (decoded, truncation, declared) = Decode(WavDecoder.Open(complete));
        Assert.Null(truncation);
        Assert.Equal(declared, decoded);

        var cut = Cut(complete, 0.5);
        var (cutDecoded, cutTruncation, cutDeclared) = Decode(WavDecoder.Open(cut));
        Assert.Equal(declared, cutDeclared); // the header still claims the whole length
        var t = Assert.IsType<TruncatedAudio>(cutTruncation);
        Assert.Equal(declared, t.DeclaredFrames);
        Assert.Equal(cutDecoded, t.DecodedFrames);
        Assert.InRange(t.DecodedFrames, 1, declared!.Value * 0.55);
    }

    [SkippableFact]
    public void Wav_StreamedFileWithUnknownSizeDeclaresNothing()
    {
        var complete = SharedData.Require("fixtures", "wav", "ext_float32_stereo_32000.wav");
        using var stream = new NonSeekableStream(File.OpenRead(complete));
        using var decoder = WavDecoder.Open(stream, complete);
        // The data size is known from the header even when the stream cannot seek: still declared.
        Assert.NotNull(decoder.DeclaredFrames);
    }

    [SkippableFact]
    public void Flac_CutFileIsTruncated_CompleteFileIsNot()
    {
        var complete = SharedData.Require("fixtures", "flac", "subset-01-blocksize_4096.flac");
        var (decoded, truncation, declared) = Decode(FlacDecoder.Open(complete));
        Assert.Null(truncation);
        Assert.Equal(declared, decoded);

        var (cutDecoded, cutTruncation, _) = Decode(FlacDecoder.Open(Cut(complete, 0.6)));
        var t = Assert.IsType<TruncatedAudio>(cutTruncation);
        Assert.Equal(declared, t.DeclaredFrames);
        Assert.Equal(cutDecoded, t.DecodedFrames);
        Assert.True(t.DeclaredDuration > t.DecodedDuration);
    }

    [SkippableTheory]
    [InlineData("fixtures", "mp3", "l3-nonstandard-sin1k0db_lame_vbrtag.mp3")] // Xing + LAME gapless info
    public void Mp3_CutFileIsTruncated_CompleteFileIsNot(params string[] relative)
    {
        var complete = SharedData.Require(relative);
        var (decoded, truncation, declared) = Decode(Mp3Decoder.Open(complete));
        Assert.NotNull(declared);
        Assert.Null(truncation); // gapless padding trimmed: exactly the declared length
        Assert.Equal(declared, decoded);

        var (_, cutTruncation, _) = Decode(Mp3Decoder.Open(Cut(complete, 0.5)));
        var t = Assert.IsType<TruncatedAudio>(cutTruncation);
        Assert.Equal(declared, t.DeclaredFrames);
        Assert.InRange(t.DecodedFrames, 1, declared!.Value * 0.6);
    }

    [SkippableFact]
    public void Mp3_WithoutFrameCountDeclaresNothing()
    {
        // No Xing/Info header: nothing is declared, so a cut cannot be told from a short song (and is not flagged).
        var plain = SharedData.Require("fixtures", "mp3", "l3-sin1k0db.mp3");
        var (_, truncation, declared) = Decode(Mp3Decoder.Open(Cut(plain, 0.5)));
        Assert.Null(declared);
        Assert.Null(truncation);
    }

    [Fact]
    public void DescribeNamesBothDurations()
    {
        var t = new TruncatedAudio(44100L * 205, 44100L * 62 + 22050, 44100);
        Assert.Equal("its header declares 3:25.000 (9040500 frames) but only 1:02.500 (2756250 frames) decoded", t.Describe());
    }

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
