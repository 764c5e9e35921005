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

    /// <summary>Bits resolved at once by the first-level lookup tables.</summary>
    private const int LookupBits = 8;

    /// <summary>
    /// First-level lookup per tree (keyed by the tree array): entry &gt;= 0 is a leaf, (length &lt;&lt; 16) | value;
    /// entry &lt; 0 is ~node, the tree node reached after <see cref="LookupBits"/> bits, where the bit walk continues.
    /// </summary>
    private static readonly Dictionary<short[], int[]> Lookups = new(ReferenceEqualityComparer.Instance);

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
        foreach (var tree in PairTrees)
            if (tree != null && !Lookups.ContainsKey(tree)) Lookups[tree] = BuildLookup(tree);
        Lookups[QuadTreeA] = BuildLookup(QuadTreeA);
        PairLookups = new int[32][];
        for (int t = 0; t < 32; t++) PairLookups[t] = PairTrees[t] is { } tr ? Lookups[tr] : null;
        QuadLookupA = Lookups[QuadTreeA];
    }

    /// <summary>First-level lookups matching <see cref="PairTrees"/> and <see cref="QuadTreeA"/>.</summary>
    public static readonly int[]?[] PairLookups;
    public static readonly int[] QuadLookupA;

    private static int[] BuildLookup(short[] tree)
    {
        var lut = new int[1 << LookupBits];
        for (int prefix = 0; prefix < lut.Length; prefix++)
        {
            int node = 0;
            int entry = ~0;
            for (int b = 0; b < LookupBits; b++)
            {
                int bit = (prefix >> (LookupBits - 1 - b)) & 1;
                int child = tree[node * 2 + bit];
                if (child < 0) { entry = ((b + 1) << 16) | ~child; break; }
                node = child;
                entry = ~node;
            }
            lut[prefix] = entry;
        }
        return lut;
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

    /// <summary>Decodes one code word from the reader with the given tree and its first-level lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Decode(Mp3BitReader reader, short[] tree, int[] lookup)
    {
        uint w = reader.Peek32();
        int entry = lookup[w >> (32 - LookupBits)];
        if (entry >= 0)
        {
            reader.Position += entry >> 16;
            return entry & 0xFFFF;
        }
        // Longer code: continue the bit walk from the node the first bits reached.
        int node = ~entry, used = LookupBits;
        w <<= LookupBits;
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
