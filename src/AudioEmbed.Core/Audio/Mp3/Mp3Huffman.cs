using System.Runtime.CompilerServices;

namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Decoders for the Layer III Huffman tables, built once from <see cref="Mp3HuffmanData"/> as binary
/// trees: node n has children at [2n] and [2n+1]; a non-negative child is the next node, a negative
/// child ~v is a leaf holding value v (x * 16 + y for pairs, v*8+w*4+x*2+y for quadruples).
/// </summary>
internal static class Mp3Huffman
{
    /// <summary>Trees for big-value tables 0..31 (null for table 0, which codes nothing, and for the unused 4 and 14).</summary>
    public static readonly short[]?[] PairTrees = new short[32][];

    /// <summary>Number of extra "linbits" for escape value 15 in tables 16..31.</summary>
    public static readonly int[] Linbits =
    {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 2, 3, 4, 6, 8, 10, 13, 4, 5, 6, 7, 8, 9, 11, 13,
    };

    public static readonly short[] QuadTreeA;

    static Mp3Huffman()
    {
        PairTrees[1] = BuildPairs(Mp3HuffmanData.Codes1, Mp3HuffmanData.Lens1, 2);
        PairTrees[2] = BuildPairs(Mp3HuffmanData.Codes2, Mp3HuffmanData.Lens2, 3);
        PairTrees[3] = BuildPairs(Mp3HuffmanData.Codes3, Mp3HuffmanData.Lens3, 3);
        PairTrees[5] = BuildPairs(Mp3HuffmanData.Codes5, Mp3HuffmanData.Lens5, 4);
        PairTrees[6] = BuildPairs(Mp3HuffmanData.Codes6, Mp3HuffmanData.Lens6, 4);
        PairTrees[7] = BuildPairs(Mp3HuffmanData.Codes7, Mp3HuffmanData.Lens7, 6);
        PairTrees[8] = BuildPairs(Mp3HuffmanData.Codes8, Mp3HuffmanData.Lens8, 6);
        PairTrees[9] = BuildPairs(Mp3HuffmanData.Codes9, Mp3HuffmanData.Lens9, 6);
        PairTrees[10] = BuildPairs(Mp3HuffmanData.Codes10, Mp3HuffmanData.Lens10, 8);
        PairTrees[11] = BuildPairs(Mp3HuffmanData.Codes11, Mp3HuffmanData.Lens11, 8);
        PairTrees[12] = BuildPairs(Mp3HuffmanData.Codes12, Mp3HuffmanData.Lens12, 8);
        PairTrees[13] = BuildPairs(Mp3HuffmanData.Codes13, Mp3HuffmanData.Lens13, 16);
        PairTrees[15] = BuildPairs(Mp3HuffmanData.Codes15, Mp3HuffmanData.Lens15, 16);
        var t16 = BuildPairs(Mp3HuffmanData.Codes16, Mp3HuffmanData.Lens16, 16);
        var t24 = BuildPairs(Mp3HuffmanData.Codes24, Mp3HuffmanData.Lens24, 16);
        for (int t = 16; t < 24; t++) PairTrees[t] = t16;
        for (int t = 24; t < 32; t++) PairTrees[t] = t24;
        QuadTreeA = Build(Mp3HuffmanData.CodesQuadA, Mp3HuffmanData.LensQuadA);
    }

    private static short[] BuildPairs(ushort[] codes, byte[] lensWithSigns, int size)
    {
        var lens = new byte[lensWithSigns.Length];
        for (int i = 0; i < lens.Length; i++)
        {
            int x = i / size, y = i % size;
            lens[i] = (byte)(lensWithSigns[i] - (x != 0 ? 1 : 0) - (y != 0 ? 1 : 0));
        }
        // Leaf values are re-based to x*16+y so callers need not know the table size.
        var values = new int[codes.Length];
        for (int i = 0; i < values.Length; i++) values[i] = (i / size) * 16 + i % size;
        return Build(codes, lens, values);
    }

    private static short[] Build(ushort[] codes, byte[] lens, int[]? values = null)
    {
        var nodes = new List<short> { 0, 0 };
        for (int i = 0; i < codes.Length; i++)
        {
            int node = 0;
            for (int b = lens[i] - 1; b >= 0; b--)
            {
                int bit = (codes[i] >> b) & 1;
                int slot = node * 2 + bit;
                if (b == 0)
                {
                    nodes[slot] = (short)~(values?[i] ?? i);
                }
                else
                {
                    if (nodes[slot] == 0)
                    {
                        nodes[slot] = (short)(nodes.Count / 2);
                        nodes.Add(0);
                        nodes.Add(0);
                    }
                    node = nodes[slot];
                }
            }
        }
        return nodes.ToArray();
    }

    /// <summary>Decodes one code word from the reader with the given tree.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Decode(Mp3BitReader reader, short[] tree)
    {
        uint w = reader.Peek32();
        int node = 0, used = 0;
        while (true)
        {
            int child = tree[node * 2 + (int)(w >> 31)];
            w <<= 1;
            used++;
            if (child < 0)
            {
                reader.Position += used;
                return ~child;
            }
            if (child == 0 || used >= 24) // unreachable for complete codes; guards a corrupt tree walk
            {
                reader.Position += used;
                return 0;
            }
            node = child;
        }
    }
}
