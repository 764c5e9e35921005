using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Flac;

namespace AudioEmbed.Tests.Flac;

/// <summary>
/// The FLAC testbench vectors decode bit-exactly (tolerance: none, integer equality) against the
/// reference decoder's output: the .npy rows, the SHA-256 of the whole decode and the sample count.
/// </summary>
public class FlacReferenceTests
{
    public static TheoryData<string> ExactFiles => new()
    {
        "subset-01-blocksize_4096.flac",
        "subset-03-blocksize_16.flac",
        "subset-07-blocksize_725.flac",
        "subset-11-partition_order_8.flac",
        "subset-12-qlp_precision_15_bit.flac",
        "subset-14-wasted_bits.flac",
        "subset-15-only_verbatim_subframes.flac",
        "subset-17-all_fixed_orders.flac",
        "subset-19-samplerate_35467Hz.flac",
        "subset-22-12_bit_per_sample.flac",
        "subset-23-8_bit_per_sample.flac",
        "subset-24-variable_blocksize_file_created_with_flake_revision_264.flac",
        "subset-38-3_channels_3.0.flac",
        "subset-41-6_channels_5.1.flac",
        "subset-43-8_channels_7.1.flac",
        "subset-45-no_total_number_of_samples_set.flac",
        "subset-47-only_STREAMINFO.flac",
        "subset-57-PNG_PICTURE.flac",
        "subset-60-mono_audio.flac",
        "subset-61-predictor_overflow_check_16-bit.flac",
        "subset-63-predictor_overflow_check_24-bit.flac",
        "subset-64-rice_partitions_with_escape_code_zero.flac",
        "uncommon-05-32bps_audio.flac",
        "uncommon-08-blocksize_65535.flac",
        "uncommon-10-file_starting_at_frame_header.flac",
        "faulty-01-wrong_max_blocksize.flac",
        "faulty-05-wrong_total_number_of_samples.flac",
        "faulty-07-other_metadata_blocks_preceding_streaminfo_metadata_block.flac",
        "faulty-09-blocksize_1.flac",
    };

    [SkippableTheory]
    [MemberData(nameof(ExactFiles))]
    public void Decodes_BitExactly(string file)
    {
        var expected = FlacFixtures.Get(file);
        var reference = SharedData.Npy("fixtures", "flac", System.IO.Path.ChangeExtension(file, ".npy"));
        using var decoder = FlacDecoder.Open(FlacFixtures.Path(file), verifyMd5: !file.StartsWith("uncommon-10"));
        Assert.Equal(expected.Channels, decoder.Channels);
        Assert.Equal(expected.Bits, decoder.BitsPerSample);

        var samples = FlacFixtures.DecodeInts(decoder);

        Assert.Equal(expected.DecodedFrames, samples.Length / decoder.Channels);
        Assert.Equal(new[] { reference.Shape[0], expected.Channels }, reference.Shape);
        for (int i = 0; i < reference.Values.Length; i++)
            if (samples[i] != (int)reference.Values[i])
                Assert.Fail($"{file}: sample {i} (frame {i / decoder.Channels}, channel {i % decoder.Channels}) is {samples[i]}, reference {reference.Values[i]}");
        Assert.Equal(expected.Sha256, FlacFixtures.Sha256OfInt32Le(samples));
        Assert.False(decoder.EndedInsidePartialFrame);
    }

    [SkippableTheory]
    [InlineData("subset-01-blocksize_4096.flac", 44100, 2, 16, 308700L)]
    [InlineData("subset-45-no_total_number_of_samples_set.flac", 48000, 2, 16, null)]
    [InlineData("uncommon-10-file_starting_at_frame_header.flac", 44100, 1, 16, null)]
    public void Reports_StreamProperties(string file, int rate, int channels, int bits, long? total)
    {
        using var decoder = FlacDecoder.Open(FlacFixtures.Path(file));
        Assert.Equal(rate, decoder.SampleRate);
        Assert.Equal(channels, decoder.Channels);
        Assert.Equal(bits, decoder.BitsPerSample);
        Assert.Equal(total, decoder.TotalFrames);
    }

    // flac 1.4.2 refuses these; the decoder must end with a clear error naming the problem, never return mixed audio.
    [SkippableTheory]
    [InlineData("uncommon-01-changing_samplerate.flac", "sample rate changes")]
    [InlineData("uncommon-03-decreasing_number_of_channels.flac", "channel count changes")]
    [InlineData("faulty-03-wrong_bit_depth.flac", "bit depth changes")]
    [InlineData("faulty-11-incorrect_metadata_block_length.flac", "metadata block")]
    public void Rejects_InconsistentStreams(string file, string problem)
    {
        var path = FlacFixtures.Path(file);
        var ex = Assert.Throws<AudioDecodeException>(() =>
        {
            using var decoder = FlacDecoder.Open(path);
            FlacFixtures.DecodeInts(decoder);
        });
        Assert.Contains(problem, ex.Message);
        Assert.Equal(path, ex.FilePath);
        Assert.NotNull(ex.ByteOffset);
    }
}
