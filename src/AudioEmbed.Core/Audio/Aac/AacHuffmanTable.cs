using System.Runtime.CompilerServices;

namespace AudioEmbed.Core.Audio.Aac;

/// <summary>
/// A two-level lookup decoder for one AAC Huffman codebook: the first <see cref="RootBits"/> bits of the stream
/// index a table that gives the symbol and its length directly for short codewords, or points to a sub-table
/// indexed by the following bits for the few long ones. Built once from <see cref="AacHuffmanData"/>.
/// </summary>
internal sealed class AacHuffmanTable
{
    private const int RootBits = 9;

    // Entry >= 0: (symbol << 8) | codeword length. Entry < 0: a sub-table, ~entry = (offset << 5) | extra bits.
    private readonly int[] _table;

    public static readonly AacHuffmanTable[] Books = AacHuffmanData.Books.Select((b, i) => new AacHuffmanTable(b, i)).ToArray();

    private AacHuffmanTable(uint[] book, int number)
    {
        int maxLen = 0;
        double kraft = 0;
        foreach (var e in book)
        {
            int len = (int)(e >> 24);
            maxLen = Math.Max(maxLen, len);
            kraft += Math.Pow(2, -len);
        }
        if (Math.Abs(kraft - 1) > 1e-12) throw new InvalidOperationException($"AAC codebook {number} is not a complete prefix code");

        var table = new List<int>(new int[1 << RootBits]);
        // Long codewords grouped by their first RootBits bits: each group gets a sub-table sized for its longest code.
        var extraByPrefix = new Dictionary<int, int>();
        for (int s = 0; s < book.Length; s++)
        {
            int len = (int)(book[s] >> 24);
            if (len <= RootBits) continue;
            int prefix = (int)((book[s] & 0xFFFFFF) >> (len - RootBits));
            extraByPrefix[prefix] = Math.Max(extraByPrefix.GetValueOrDefault(prefix), len - RootBits);
        }
        foreach (var (prefix, extra) in extraByPrefix.OrderBy(p => p.Key))
        {
            int offset = table.Count;
            table.AddRange(new int[1 << extra]);
            table[prefix] = ~((offset << 5) | extra);
        }
        for (int s = 0; s < book.Length; s++)
        {
            int len = (int)(book[s] >> 24);
            int code = (int)(book[s] & 0xFFFFFF);
            int entry = (s << 8) | len;
            if (len <= RootBits)
            {
                int first = code << (RootBits - len);
                for (int k = 0; k < 1 << (RootBits - len); k++) table[first + k] = entry;
            }
            else
            {
                int prefix = code >> (len - RootBits);
                int sub = ~table[prefix];
                int offset = sub >> 5, extra = sub & 31;
                int rest = code & ((1 << (len - RootBits)) - 1);
                int first = rest << (extra - (len - RootBits));
                for (int k = 0; k < 1 << (extra - (len - RootBits)); k++) table[offset + first + k] = entry;
            }
        }
        _table = table.ToArray();
    }

    /// <summary>Decodes one codeword and returns its codebook index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(AacBitReader br)
    {
        uint peek = br.Peek32();
        int e = _table[peek >> (32 - RootBits)];
        if (e < 0)
        {
            int sub = ~e;
            int extra = sub & 31;
            e = _table[(sub >> 5) + (int)((peek << RootBits) >> (32 - extra))];
        }
        br.Skip(e & 0xFF);
        return e >> 8;
    }
}
