using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Audio.Aac;
using AudioEmbed.Core.Audio.Info;
using AudioEmbed.Core.Models.EncodecMae;
using AudioEmbed.Core.Models.Mert;
using AudioEmbed.Core.Models.MusiCNN;
using AudioEmbed.Core.Output;
using AudioEmbed.Core.Store;

namespace AudioEmbed.Tests.Fuzz;

/// <summary>
/// Every reader a user's files reach, through the entry point the module uses: audio (content sniffing, the managed
/// decoders, the header readers behind Get-AudioFileInfo), .npy (Import-EmbeddingNpy, -SkipExisting checks) and the
/// checkpoint converters (Keras .h5, torch.save zips with their pickles, safetensors, HF config JSON, gin text).
/// Seeds come from ../shared: the corrupt-file corpus and the conformance vectors.
/// </summary>
public static class FuzzTargets
{
    private static readonly DecoderOptions Managed = new(DecoderPreference.Managed);

    public static readonly IReadOnlyList<FuzzTarget> All = new[]
    {
        new FuzzTarget("audio", "song.bin", AudioSeeds(), DecodeAndReadInfo),
        new FuzzTarget("ogg", "song.ogg", new[]
        {
            Made("vorbis-stereo.ogg"), new[] { "audio", "sorohanro_-_solo-trumpet-06.ogg" },
        }, DecodeAndReadInfo),
        // The same mutations with every page's CRC made valid again: what reaches NVorbis past the page check.
        new FuzzTarget("ogg-valid-crc", "song.ogg", new[] { Made("vorbis-stereo.ogg") }, path => { RecomputeOggCrcs(path); DecodeAndReadInfo(path); }),
        new FuzzTarget("mp4", "song.m4a", new[] { Made("alac-stereo-16.m4a"), Made("alac-6ch-24.m4a"), Made("aac-mono.m4a") }, DecodeAndReadInfo),
        new FuzzTarget("alac", "cookie-and-packet.bin", new[] { Made("alac-stereo-16.packet"), Made("alac-6ch-24.packet") }, DecodeAlacPacket),
        new FuzzTarget("npy", "embedding.npy", new[]
        {
            new[] { "fixtures", "mert", "tiny-95m-style", "mean_pooled_1.npy" },
            new[] { "fixtures", "encodecmae", "tiny-mel256", "chunk0_post_net.npy" },
            new[] { "fixtures", "wav", "chunk_odd_size_pad.npy" },
        }, path => NpyReader.Read(path)),
        new FuzzTarget("musicnn-h5", "MTT_musicnn.h5", new[] { new[] { "models", "musicnn", "MTT_musicnn.h5" } },
            path => new MusicnnFamily().Convert(MusicnnVariant.Value, new Dictionary<string, string> { ["MTT_musicnn.h5"] = path }, Stream.Null),
            MaxSeedBytes: int.MaxValue),
        new FuzzTarget("mert-bin", "pytorch_model.bin", new[] { new[] { "fixtures", "mert", "tiny-95m-style", "pytorch_model.bin" } },
            path => ConvertMert(path, "pytorch_model.bin"), MertCompanions, MaxSeedBytes: int.MaxValue),
        new FuzzTarget("mert-safetensors", "model.safetensors", new[] { new[] { "fixtures", "mert", "tiny-330m-style", "model.safetensors" } },
            path => ConvertMert(path, "model.safetensors", "tiny-330m-style"), MertCompanions330, MaxSeedBytes: int.MaxValue),
        new FuzzTarget("mert-config", "config.json", new[] { new[] { "fixtures", "mert", "tiny-95m-style", "config.json" } },
            path => ConvertMertConfig(path)),
        new FuzzTarget("encodecmae-pt", "model.pt", new[] { new[] { "fixtures", "encodecmae", "tiny-mel256", "model.pt" } },
            path => new EncodecMaeFamily().Convert(Variant("tiny-mel256"), new Dictionary<string, string> { ["model.pt"] = path }, Stream.Null),
            MaxSeedBytes: int.MaxValue),
        new FuzzTarget("encodecmae-gin", "config.gin", new[]
        {
            new[] { "fixtures", "encodecmae", "tiny-mel256", "config.gin" },
            new[] { "fixtures", "encodecmae", "real_base_config.gin" },
        }, path => new EncodecMaeFamily().Convert(Variant("tiny-mel256"),
            new Dictionary<string, string> { ["model.pt"] = SharedData.Require("fixtures", "encodecmae", "tiny-mel256", "model.pt"), ["config.gin"] = path }, Stream.Null)),
        // .aac files through the entry point: sniffing (ADTS vs MP3, an ID3 tag first), the frame walker, the decoder and Get-AudioFileInfo.
        new FuzzTarget("adts-file", "song.aac", new[]
        {
            new[] { FuzzRegression.RepositorySeed, "aac", "stereo-tools.aac" },
            new[] { FuzzRegression.RepositorySeed, "aac", "id3-mono.aac" },
        }, DecodeAndReadInfo),
        new FuzzTarget("aac-adts", "stream.aac", new[]
        {
            new[] { FuzzRegression.RepositorySeed, "aac", "stereo-tools.aac" },
            new[] { FuzzRegression.RepositorySeed, "aac", "mono-transients.aac" },
        }, DecodeAdts),
    };

    public static FuzzTarget Get(string name) => All.Single(t => t.Name == name);

    /// <summary>A seed made for fuzzing (Fuzz/Seeds in the repository; see its README).</summary>
    private static string[] Made(string name) => new[] { FuzzRegression.RepositorySeed, name };

    /// <summary>Rewrites the CRC of every whole page from the start, so the mutation is judged by NVorbis rather than the CRC check.</summary>
    private static void RecomputeOggCrcs(string path)
    {
        var b = File.ReadAllBytes(path);
        int offset = 0;
        while (offset + 27 <= b.Length && b.AsSpan(offset, 4).SequenceEqual("OggS"u8))
        {
            int segments = b[offset + 26];
            if (offset + 27 + segments > b.Length) break;
            int length = 27 + segments;
            for (int i = 0; i < segments; i++) length += b[offset + 27 + i];
            if (offset + length > b.Length) break;
            b.AsSpan(offset + 22, 4).Clear();
            uint crc = AudioEmbed.Core.Audio.Ogg.OggPageCheck.Update(0, b.AsSpan(offset, length));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(offset + 22), crc);
            offset += length;
        }
        File.WriteAllBytes(path, b);
    }

    /// <summary>The ALAC decoder without its container: a 24-byte magic cookie, then one packet.</summary>
    private static void DecodeAlacPacket(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var config = AudioEmbed.Core.Audio.Alac.AlacConfig.Parse(bytes, path);
        var decoder = new AudioEmbed.Core.Audio.Alac.AlacDecoder(config, path);
        int length = bytes.Length - AudioEmbed.Core.Audio.Alac.AlacConfig.Length;
        var packet = new byte[length + 8];
        bytes.AsSpan(AudioEmbed.Core.Audio.Alac.AlacConfig.Length).CopyTo(packet);
        int frames = decoder.Decode(packet, length, 0);
        if (frames < 1 || frames > config.FrameLength) throw new InvalidDataException($"the decoder returned {frames} frames (frame length {config.FrameLength})");
    }

    private static readonly Lazy<ModelVariantInfo> MusicnnVariant = new(() =>
        ModelCatalog.Load(Path.Combine(SharedData.RepoRoot, "models", "catalog.json")).Family("MusiCNN").Variant("MTT_musicnn"));

    private static readonly IReadOnlyList<string[]> MertCompanions = new[]
    {
        new[] { "fixtures", "mert", "tiny-95m-style", "config.json" },
        new[] { "fixtures", "mert", "tiny-95m-style", "preprocessor_config.json" },
    };

    private static readonly IReadOnlyList<string[]> MertCompanions330 = new[]
    {
        new[] { "fixtures", "mert", "tiny-330m-style", "config.json" },
        new[] { "fixtures", "mert", "tiny-330m-style", "preprocessor_config.json" },
    };

    private static ModelVariantInfo Variant(string name) => new() { Name = name };

    private static void ConvertMert(string weights, string fileName, string style = "tiny-95m-style")
    {
        string dir = Path.GetDirectoryName(weights)!;
        var files = new Dictionary<string, string>
        {
            ["config.json"] = Path.Combine(dir, "config.json"),
            ["preprocessor_config.json"] = Path.Combine(dir, "preprocessor_config.json"),
            [fileName] = weights,
        };
        new MertFamily().Convert(new ModelVariantInfo { Name = style, Architecture = "mert" }, files, Stream.Null);
    }

    private static void ConvertMertConfig(string config)
    {
        var files = new Dictionary<string, string>
        {
            ["config.json"] = config,
            ["preprocessor_config.json"] = SharedData.Require("fixtures", "mert", "tiny-95m-style", "preprocessor_config.json"),
            ["model.safetensors"] = SharedData.Require("fixtures", "mert", "tiny-95m-style", "model.safetensors"),
        };
        new MertFamily().Convert(new ModelVariantInfo { Name = "tiny-95m-style", Architecture = "mert" }, files, Stream.Null);
    }

    private static IReadOnlyList<string[]> AudioSeeds()
    {
        var seeds = new List<string[]>
        {
            new[] { "fixtures", "mp3", "l3-si.mp3" }, new[] { "fixtures", "mp3", "l3-he_free.mp3" },
            new[] { "fixtures", "mp3", "l3-nonstandard-sin1k0db_lame_vbrtag.mp3" },
            new[] { "fixtures", "flac", "subset-03-blocksize_16.flac" }, new[] { "fixtures", "flac", "subset-14-wasted_bits.flac" },
            new[] { "fixtures", "wav", "chunk_odd_size_pad.wav" }, new[] { "fixtures", "wav", "chunks_list_info_before_after.wav" },
        };
        // The corrupt corpus, each file a seed (the empty ones too: mutations grow them).
        string corrupt = Path.Combine(SharedData.Root, "fixtures", "corrupt");
        if (Directory.Exists(corrupt))
            seeds.AddRange(Directory.GetFiles(corrupt).Where(f => !f.EndsWith(".md") && !f.EndsWith(".json")).Order()
                .Select(f => new[] { "fixtures", "corrupt", Path.GetFileName(f) }));
        return seeds;
    }

    /// <summary>ADTS frames through the managed AAC-LC decoder: every frame decodes to 1024 finite samples per channel or is refused cleanly.</summary>
    private static void DecodeAdts(string path)
    {
        var reader = new AdtsFrameReader(File.ReadAllBytes(path), path);
        var decoder = new AacDecoder(reader.AudioSpecificConfig, path);
        var block = new float[AacDecoder.FrameLength * decoder.Channels];
        while (reader.TryReadFrame(out var frame))
        {
            if (decoder.Decode(frame.Span, block) != AacDecoder.FrameLength) throw new InvalidDataException("the AAC decoder returned a partial frame");
            foreach (var s in block)
                if (!float.IsFinite(s)) throw new InvalidDataException("the AAC decoder returned a non-finite sample");
        }
    }

    /// <summary>Decodes everything (finite samples, output bounded by the file's size) and reads the header facts.</summary>
    private static void DecodeAndReadInfo(string path)
    {
        long bytes = new FileInfo(path).Length;
        try
        {
            using var source = AudioFile.Open(path, Managed);
            var block = new float[4096 * Math.Max(1, source.Channels)];
            // The largest expansion of any supported format: a FLAC frame of a few bytes can hold 65,535 constant
            // samples per channel (8 channels). More than that per input byte means a reader invented audio.
            long bound = (bytes + 1) * 65536L * 8;
            long total = 0;
            int frames;
            while ((frames = source.Read(block)) > 0)
            {
                var samples = block.AsSpan(0, frames * source.Channels);
                foreach (var s in samples)
                    if (!float.IsFinite(s)) throw new InvalidDataException("a decoder returned a non-finite sample");
                total += samples.Length;
                if (total > bound) throw new InvalidDataException($"a decoder returned {total} samples from {bytes} bytes");
            }
        }
        catch (AudioDecodeException) { }
        AudioFileInfo.Read(path, Managed);
    }
}
