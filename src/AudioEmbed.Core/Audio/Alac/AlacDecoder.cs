namespace AudioEmbed.Core.Audio.Alac;

/// <summary>
/// Decodes ALAC packets (Apple Lossless; Apple's open-sourced format description) to integer samples at the
/// stream's bit depth: elements (single channel, channel pair with mid/side-style mixing, LFE) in ALAC's channel
/// order, each with its adaptive Rice residuals, adaptive predictor and the low bytes sent verbatim ("shifted")
/// for 24/32-bit audio. Output channels are in the WAVE/ffmpeg order (e.g. 5.1: L R C LFE Ls Rs), so the result
/// is sample-for-sample what ffmpeg decodes.
/// </summary>
public sealed class AlacDecoder
{
    private const int Sce = 0, Cpe = 1, Cce = 2, Lfe = 3, Dse = 4, Pce = 5, Fil = 6, End = 7;

    /// <summary>Where ALAC's n-th coded channel goes in WAVE order, per channel count (ALAC codes C first, LFE last).</summary>
    private static readonly byte[][] OutputChannel =
    [
        [0],
        [0, 1],
        [2, 0, 1],
        [2, 0, 1, 3],
        [2, 0, 1, 3, 4],
        [2, 0, 1, 4, 5, 3],
        [2, 0, 1, 4, 5, 6, 3],
        [2, 6, 7, 0, 1, 4, 5, 3],
    ];

    private readonly AlacConfig _config;
    private readonly string _name;
    private readonly AlacBitReader _bits = new();
    private readonly int[][] _channels;      // decoded output, one array per channel (WAVE order)
    private readonly int[][] _residual = [Array.Empty<int>(), Array.Empty<int>()];
    private readonly int[][] _shifted = [Array.Empty<int>(), Array.Empty<int>()];
    private readonly short[][] _coefs = [new short[32], new short[32]];

    public AlacDecoder(AlacConfig config, string name)
    {
        _config = config;
        _name = name;
        _channels = new int[config.Channels][];
        for (int c = 0; c < _channels.Length; c++) _channels[c] = Array.Empty<int>();
    }

    public AlacConfig Config => _config;

    /// <summary>Decoded samples of channel <paramref name="channel"/> from the last <see cref="Decode"/>, at the file's bit depth.</summary>
    public ReadOnlySpan<int> Channel(int channel, int frames) => _channels[channel].AsSpan(0, frames);

    /// <summary>
    /// Decodes one packet (the first <paramref name="length"/> bytes of <paramref name="packet"/>, which must have 8 spare bytes after them)
    /// and returns its frame count. Throws <see cref="AudioDecodeException"/> for a damaged packet.
    /// </summary>
    public int Decode(byte[] packet, int length, long fileOffset)
    {
        _bits.Reset(packet, length);
        int coded = 0;      // channels decoded so far, in ALAC order
        int frames = -1;
        try
        {
            while (true)
            {
                int tag = (int)_bits.Read(3);
                if (_bits.Overrun) throw new InvalidDataException("the packet ends without an end tag");
                if (tag == End) break;
                switch (tag)
                {
                    case Sce or Lfe or Cpe:
                        int count = tag == Cpe ? 2 : 1;
                        if (coded + count > _config.Channels)
                            throw new InvalidDataException($"the packet holds more than the {_config.Channels} channels the configuration announces");
                        int n = DecodeElement(count, coded);
                        if (frames >= 0 && n != frames) throw new InvalidDataException($"its channels differ in length ({frames} and {n} samples)");
                        frames = n;
                        coded += count;
                        break;
                    case Dse:
                        _bits.Skip(4);
                        bool align = _bits.Read(1) != 0;
                        int bytes = (int)_bits.Read(8);
                        if (bytes == 255) bytes += (int)_bits.Read(8);
                        if (align) _bits.AlignToByte();
                        _bits.Skip(bytes * 8L);
                        break;
                    case Fil:
                        int fill = (int)_bits.Read(4);
                        if (fill == 15) fill += (int)_bits.Read(8) - 1;
                        _bits.Skip(fill * 8L);
                        break;
                    default: // CCE, PCE: never written by Apple's encoder nor ffmpeg's
                        throw new InvalidDataException($"element type {(tag == Cce ? "CCE (coupling channel)" : tag == Pce ? "PCE (program config)" : tag.ToString())}, which ALAC decoders do not support");
                }
                if (_bits.Overrun) throw new InvalidDataException("an element runs past the end of the packet");
            }
        }
        catch (InvalidDataException e)
        {
            throw new AudioDecodeException(_name, "damaged ALAC packet: " + e.Message, fileOffset);
        }
        if (coded != _config.Channels) throw new AudioDecodeException(_name, $"damaged ALAC packet: it holds {coded} of the {_config.Channels} channels", fileOffset);
        return frames;
    }

    /// <summary>One SCE/LFE (1 channel) or CPE (2 channels) element, written to its WAVE-order output channels.</summary>
    private int DecodeElement(int count, int firstCoded)
    {
        var b = _bits;
        b.Skip(4 + 12); // element instance tag, unused header bits
        bool hasSize = b.Read(1) != 0;
        int shiftedBytes = (int)b.Read(2);
        bool uncompressed = b.Read(1) != 0;
        int extraBits = shiftedBytes * 8;
        int width = _config.BitDepth - extraBits + count - 1; // a channel pair's difference needs one bit more
        if (width is < 1 or > 32) throw new InvalidDataException($"{shiftedBytes} shifted bytes leave a {width}-bit sample width");
        int frames = _config.FrameLength;
        if (hasSize)
        {
            uint stated = b.Read(32);
            if (stated == 0 || stated > (uint)_config.FrameLength)
                throw new InvalidDataException($"it states {stated} samples (the frame length is {_config.FrameLength})");
            frames = (int)stated;
        }
        var outA = Output(firstCoded, 0, frames);
        var outB = count == 2 ? Output(firstCoded, 1, frames) : default;

        int mixShift = 0, mixWeight = 0;
        if (!uncompressed)
        {
            if (_config.RiceLimit == 0) throw new InvalidDataException("compressed data with a Rice limit of 0");
            mixShift = (int)b.Read(8);
            mixWeight = (int)b.Read(8);
            if (count == 2 && mixWeight != 0 && mixShift > 31) throw new InvalidDataException($"mixing shift {mixShift}");
            Span<int> mode = stackalloc int[2], quant = stackalloc int[2], mult = stackalloc int[2], order = stackalloc int[2];
            for (int c = 0; c < count; c++)
            {
                mode[c] = (int)b.Read(4);
                quant[c] = (int)b.Read(4);
                mult[c] = (int)b.Read(3);
                order[c] = (int)b.Read(5);
                if (quant[c] == 0) throw new InvalidDataException("a predictor quantisation of 0");
                for (int i = order[c] - 1; i >= 0; i--) _coefs[c][i] = (short)b.ReadSigned(16);
            }
            if (extraBits != 0)
            {
                for (int c = 0; c < count; c++) Ensure(ref _shifted[c], frames);
                for (int i = 0; i < frames; i++)
                    for (int c = 0; c < count; c++) _shifted[c][i] = (int)b.Read(extraBits);
                if (b.Overrun) throw new InvalidDataException("the shifted low bytes run past the end of the packet");
            }
            for (int c = 0; c < count; c++)
            {
                Ensure(ref _residual[c], frames);
                var residual = _residual[c].AsSpan(0, frames);
                AlacRice.Decode(b, residual, width, mult[c] * _config.RiceHistoryMult / 4, _config.RiceInitialHistory, _config.RiceLimit);
                if (mode[c] == 15) AlacPredictor.Run(residual, residual, width, default, 31, 0); // a first-order pass before the FIR
                AlacPredictor.Run(residual, c == 0 ? outA : outB, width, _coefs[c], order[c], quant[c]);
            }
        }
        else
        {
            int depth = _config.BitDepth;
            for (int i = 0; i < frames; i++)
            {
                outA[i] = b.ReadSigned(depth);
                if (count == 2) outB[i] = b.ReadSigned(depth);
            }
            if (b.Overrun) throw new InvalidDataException("the verbatim samples run past the end of the packet");
            extraBits = 0;
        }

        if (count == 2 && mixWeight != 0)
        {
            // Undo the encoder's mixing: u = the weighted mid, v = the difference.
            for (int i = 0; i < frames; i++)
            {
                int u = outA[i], v = outB[i];
                u -= (v * mixWeight) >> mixShift;
                outA[i] = v + u;
                outB[i] = u;
            }
        }
        if (extraBits != 0)
        {
            outA = outA[..frames];
            for (int i = 0; i < frames; i++) outA[i] = outA[i] << extraBits | _shifted[0][i];
            if (count == 2)
                for (int i = 0; i < frames; i++) outB[i] = outB[i] << extraBits | _shifted[1][i];
        }
        return frames;
    }

    private Span<int> Output(int firstCoded, int index, int frames)
    {
        int target = OutputChannel[_config.Channels - 1][firstCoded] + index;
        if (target >= _config.Channels) throw new InvalidDataException("an element's channels fall outside the channel layout");
        Ensure(ref _channels[target], _config.FrameLength);
        return _channels[target].AsSpan(0, frames);
    }

    private static void Ensure(ref int[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new int[length];
    }
}
