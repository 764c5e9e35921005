using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>
/// The streaming surface: float scaling, read-span sizes, streams that deliver a few bytes at a time or
/// cannot seek, a leading ID3v2 tag, and the format probe.
/// </summary>
public class FlacStreamingTests
{
    // Float output is sample / 2^(bits-1): a power-of-two scale, so it must equal the reference exactly (abs tolerance 0).
    [SkippableTheory]
    [InlineData("subset-23-8_bit_per_sample.flac")]
    [InlineData("subset-01-blocksize_4096.flac")]
    [InlineData("subset-63-predictor_overflow_check_24-bit.flac")]
    [InlineData("uncommon-05-32bps_audio.flac")]
    public void FloatOutput_IsSampleOverTwoToBitsMinusOne(string file)
    {
        var reference = SharedData.Npy("fixtures", "flac", Path.ChangeExtension(file, ".npy"));
        using var decoder = FlacDecoder.Open(FlacFixtures.Path(file));
        double scale = Math.Pow(2, decoder.BitsPerSample - 1);
        var expected = reference.Values.Select(v => (float)(v / scale)).ToArray();
        var actual = new float[expected.Length];
        Assert.Equal(reference.Shape[0], decoder.Read(actual));
        Tolerance.AllClose(expected, actual, abs: 0, what: file);
        Assert.All(actual, v => Assert.InRange(v, -1f, 0.99999999f));
    }

    [SkippableTheory]
    [InlineData("subset-07-blocksize_725.flac")]
    [InlineData("subset-38-3_channels_3.0.flac")]
    public void TinyReadSpans_GiveIdenticalOutput(string file)
    {
        var path = FlacFixtures.Path(file);
        float[] whole;
        using (var d = FlacDecoder.Open(path)) whole = d.ReadAll();

        using var decoder = FlacDecoder.Open(path);
        var pieces = new List<float>();
        int[] spanFrames = { 1, 2, 3, 7, 100, 1000 };
        // A span that is not a whole number of frames must only be filled with whole frames.
        var buffer = new float[1000 * decoder.Channels + decoder.Channels - 1];
        for (int call = 0; ; call++)
        {
            int frames = spanFrames[call % spanFrames.Length];
            var span = buffer.AsSpan(0, frames * decoder.Channels + (call % decoder.Channels));
            int n = decoder.Read(span);
            if (n == 0) break;
            Assert.InRange(n, 1, frames);
            pieces.AddRange(span[..(n * decoder.Channels)].ToArray());
        }
        Assert.Equal(whole.Length, pieces.Count);
        Assert.True(whole.AsSpan().SequenceEqual(pieces.ToArray()), "piecewise reads differ from one whole read");
    }

    [SkippableTheory]
    [InlineData("subset-03-blocksize_16.flac")]
    [InlineData("subset-57-PNG_PICTURE.flac")]
    [InlineData("uncommon-08-blocksize_65535.flac")]
    public void StreamDeliveringFewBytesPerRead_WithoutSeeking_DecodesIdentically(string file)
    {
        var bytes = File.ReadAllBytes(FlacFixtures.Path(file));
        var expected = FlacFixtures.Get(file);
        using var decoder = FlacDecoder.Open(new TrickleStream(bytes, maxPerRead: 3), file, verifyMd5: true);
        var samples = FlacFixtures.DecodeInts(decoder, chunkFrames: 777);
        Assert.Equal(expected.Sha256, FlacFixtures.Sha256OfInt32Le(samples));
    }

    [SkippableFact]
    public void LeadingId3v2Tag_IsSkipped()
    {
        var flac = File.ReadAllBytes(FlacFixtures.Path("subset-60-mono_audio.flac"));
        var tag = new byte[10 + 300];
        "ID3"u8.CopyTo(tag);
        tag[3] = 4;
        tag[8] = 300 >> 7; // syncsafe size 300
        tag[9] = 300 & 0x7F;
        var tagged = tag.Concat(flac).ToArray();

        Assert.True(FlacDecoder.LooksLikeFlac(tagged));
        using var decoder = FlacDecoder.Open(new MemoryStream(tagged), "tagged.flac", verifyMd5: true);
        Assert.Equal(FlacFixtures.Get("subset-60-mono_audio.flac").Sha256, FlacFixtures.Sha256OfInt32Le(FlacFixtures.DecodeInts(decoder)));
    }

    [SkippableFact]
    public void TrailingId3v1Tag_IsIgnored_ButOtherTrailingBytesAreReported()
    {
        var flac = File.ReadAllBytes(FlacFixtures.Path("subset-60-mono_audio.flac"));
        var id3v1 = new byte[128];
        "TAG"u8.CopyTo(id3v1);
        using (var decoder = FlacDecoder.Open(new MemoryStream(flac.Concat(id3v1).ToArray()), "id3v1.flac", verifyMd5: true))
            Assert.Equal(FlacFixtures.Get("subset-60-mono_audio.flac").Sha256, FlacFixtures.Sha256OfInt32Le(FlacFixtures.DecodeInts(decoder)));

        var garbage = Enumerable.Repeat((byte)0x55, 64).ToArray();
        using var bad = FlacDecoder.Open(new MemoryStream(flac.Concat(garbage).ToArray()), "garbage.flac");
        var ex = Assert.Throws<AudioDecodeException>(() => FlacFixtures.DecodeInts(bad));
        Assert.Contains("frame sync", ex.Message);
        Assert.Equal(flac.Length, ex.ByteOffset);
    }

    [Fact]
    public void LooksLikeFlac_ChecksTheMagic()
    {
        Assert.True(FlacDecoder.LooksLikeFlac("fLaC\0\0\0\x22"u8));
        Assert.False(FlacDecoder.LooksLikeFlac("RIFF\0\0\0\0WAVE"u8));
        Assert.False(FlacDecoder.LooksLikeFlac("fLa"u8));
        Assert.False(FlacDecoder.LooksLikeFlac(ReadOnlySpan<byte>.Empty));
        // An ID3v2 tag longer than the head cannot be seen past, so the probe says no rather than guess.
        Assert.False(FlacDecoder.LooksLikeFlac("ID3\x04\0\0\0\0\x7F\x7FfLaC"u8));
    }

    [SkippableFact]
    public void ReadSpanSmallerThanOneFrame_IsACallerError()
    {
        using var decoder = FlacDecoder.Open(FlacFixtures.Path("subset-01-blocksize_4096.flac"));
        Assert.Throws<ArgumentException>(() => decoder.Read(new float[1]));
    }

    [SkippableFact]
    public void LeaveOpen_KeepsTheCallersStream()
    {
        var stream = new MemoryStream(File.ReadAllBytes(FlacFixtures.Path("subset-60-mono_audio.flac")));
        using (var decoder = FlacDecoder.Open(stream, "mem.flac", leaveOpen: true)) decoder.Read(new float[16]);
        Assert.True(stream.CanRead);
        using (FlacDecoder.Open(stream = new MemoryStream(stream.ToArray()), "mem.flac")) { }
        Assert.False(stream.CanRead);
    }

    /// <summary>A forward-only stream returning at most a few bytes per call, like a slow pipe.</summary>
    private sealed class TrickleStream(byte[] data, int maxPerRead) : Stream
    {
        private int _pos;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _pos; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, maxPerRead), data.Length - _pos);
            Array.Copy(data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
