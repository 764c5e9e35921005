namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// spectral_data (ISO/IEC 14496-3 Table 4.50, 4.6.3): the quantised lines of each band decoded with its codebook
/// (books 1-11: 4- or 2-tuples, signed or with sign bits after the codeword, book 11 with escapes) and dequantised
/// on the spot as sign * |q|^(4/3) * gain. Noise bands (PNS) and intensity bands are handled by their own tools.
/// </summary>
internal static class AacSpectralHuffman
{
    /// <summary>Per book 1-11 (index 0 unused): tuple size, whether values carry their sign, largest absolute value.</summary>
    private static readonly (int Dim, bool Signed, int Lav)[] Shape =
    {
        default, (4, true, 1), (4, true, 1), (4, false, 2), (4, false, 2), (2, true, 4), (2, true, 4),
        (2, false, 7), (2, false, 7), (2, false, 12), (2, false, 12), (2, false, 16),
    };

    /// <summary>The value tuple of every codebook index, [index * dim + j]: the standard's index = sum of digits in base (2 * lav + 1) or (lav + 1).</summary>
    private static readonly sbyte[][] Values = BuildValues();

    private static sbyte[][] BuildValues()
    {
        var all = new sbyte[12][];
        for (int b = 1; b <= 11; b++)
        {
            var (dim, signed, lav) = Shape[b];
            int radix = signed ? 2 * lav + 1 : lav + 1, offset = signed ? lav : 0;
            int count = (int)Math.Pow(radix, dim);
            var v = new sbyte[count * dim];
            for (int idx = 0; idx < count; idx++)
            {
                int rest = idx;
                for (int j = dim - 1; j >= 0; j--)
                {
                    v[idx * dim + j] = (sbyte)(rest % radix - offset);
                    rest /= radix;
                }
            }
            all[b] = v;
        }
        return all;
    }

    /// <summary>
    /// Every codebook index unpacked once: value j's magnitude in bits 6j..6j+4 and its sign in bit 6j+5 (signed books),
    /// and the number of non-zero values (the sign bits an unsigned book reads) in bits 24-26.
    /// </summary>
    private static readonly int[][] Packed = BuildPacked();

    private static int[][] BuildPacked()
    {
        var all = new int[12][];
        for (int b = 1; b <= 11; b++)
        {
            int dim = Shape[b].Dim;
            var p = new int[Values[b].Length / dim];
            for (int idx = 0; idx < p.Length; idx++)
            {
                int e = 0, nonZero = 0;
                for (int j = 0; j < dim; j++)
                {
                    int v = Values[b][idx * dim + j];
                    e |= (Math.Abs(v) | (v < 0 ? 32 : 0)) << (6 * j);
                    if (v != 0) nonZero++;
                }
                p[idx] = e | (nonZero << 24);
            }
            all[b] = p;
        }
        return all;
    }

    /// <summary>Decodes the lines of one band of one window (a multiple of the tuple size) into <paramref name="dst"/>.</summary>
    public static void DecodeBand(AacBitReader br, int book, float gain, Span<float> dst, string source)
    {
        var table = AacHuffmanTable.Books[book];
        var packed = Packed[book];
        var pow43 = AacDequantizer.Pow43;
        var (dim, signed, _) = Shape[book];
        if (signed)
        {
            for (int k = 0; k < dst.Length; k += dim)
            {
                int e = packed[table.Decode(br)];
                for (int j = 0; j < dim; j++, e >>= 6)
                {
                    float v = pow43[e & 31] * gain;
                    dst[k + j] = (e & 32) != 0 ? -v : v;
                }
            }
            return;
        }
        bool escapes = book == AacBandType.Escape;
        for (int k = 0; k < dst.Length; k += dim)
        {
            int e = packed[table.Decode(br)];
            // Sign bits of the non-zero values follow the codeword, then the escapes (book 11).
            int nonZero = e >> 24;
            if (nonZero == 0)
            {
                for (int j = 0; j < dim; j++) dst[k + j] = 0f;
                continue;
            }
            uint signs = (uint)br.Read(nonZero) << (32 - nonZero);
            for (int j = 0; j < dim; j++, e >>= 6)
            {
                int q = e & 31;
                if (q == 0) { dst[k + j] = 0f; continue; }
                if (escapes && q == 16) q = ReadEscape(br, source);
                float v = pow43[q] * gain;
                dst[k + j] = (signs & 0x80000000u) != 0 ? -v : v;
                signs <<= 1;
            }
        }
    }

    /// <summary>escape_sequence: N ones, a zero, then N + 4 bits; the value is 2^(N+4) + those bits (N at most 8).</summary>
    private static int ReadEscape(AacBitReader br, string source)
    {
        int n = 0;
        while (br.ReadBit())
        {
            if (++n > 8) throw new AudioDecodeException(source, "an AAC escape sequence is longer than the standard allows");
        }
        int bits = n + 4;
        return (1 << bits) + br.Read(bits);
    }
}
