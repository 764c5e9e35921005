using AudioEmbed.Core.Audio.Mp3;

namespace AudioEmbed.Tests.Mp3;

/// <summary>The transcribed Huffman tables must each form a complete prefix code (Kraft sum exactly 1, no code a prefix of another).</summary>
public class Mp3HuffmanTableTests
{
    public static IEnumerable<object[]> Tables()
    {
        yield return new object[] { "1", Mp3HuffmanData.Codes1, Mp3HuffmanData.Lens1, 2 };
        yield return new object[] { "2", Mp3HuffmanData.Codes2, Mp3HuffmanData.Lens2, 3 };
        yield return new object[] { "3", Mp3HuffmanData.Codes3, Mp3HuffmanData.Lens3, 3 };
        yield return new object[] { "5", Mp3HuffmanData.Codes5, Mp3HuffmanData.Lens5, 4 };
        yield return new object[] { "6", Mp3HuffmanData.Codes6, Mp3HuffmanData.Lens6, 4 };
        yield return new object[] { "7", Mp3HuffmanData.Codes7, Mp3HuffmanData.Lens7, 6 };
        yield return new object[] { "8", Mp3HuffmanData.Codes8, Mp3HuffmanData.Lens8, 6 };
        yield return new object[] { "9", Mp3HuffmanData.Codes9, Mp3HuffmanData.Lens9, 6 };
        yield return new object[] { "10", Mp3HuffmanData.Codes10, Mp3HuffmanData.Lens10, 8 };
        yield return new object[] { "11", Mp3HuffmanData.Codes11, Mp3HuffmanData.Lens11, 8 };
        yield return new object[] { "12", Mp3HuffmanData.Codes12, Mp3HuffmanData.Lens12, 8 };
        yield return new object[] { "13", Mp3HuffmanData.Codes13, Mp3HuffmanData.Lens13, 16 };
        yield return new object[] { "15", Mp3HuffmanData.Codes15, Mp3HuffmanData.Lens15, 16 };
        yield return new object[] { "16", Mp3HuffmanData.Codes16, Mp3HuffmanData.Lens16, 16 };
        yield return new object[] { "24", Mp3HuffmanData.Codes24, Mp3HuffmanData.Lens24, 16 };
        yield return new object[] { "quadA", Mp3HuffmanData.CodesQuadA, Mp3HuffmanData.LensQuadA, 0 };
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public void Table_is_a_complete_prefix_code(string name, ushort[] codes, byte[] lens, int size)
    {
        Assert.Equal(codes.Length, lens.Length);
        var words = new string[codes.Length];
        double kraft = 0;
        for (int i = 0; i < codes.Length; i++)
        {
            int len = size == 0 ? lens[i] : lens[i] - (i / size != 0 ? 1 : 0) - (i % size != 0 ? 1 : 0);
            Assert.True(len > 0 && codes[i] < 1 << len, $"table {name}[{i}]: code {codes[i]} does not fit {len} bits");
            words[i] = Convert.ToString(codes[i], 2).PadLeft(len, '0');
            kraft += Math.Pow(2, -len);
        }
        Assert.Equal(1.0, kraft, 12);
        for (int i = 0; i < words.Length; i++)
            for (int j = 0; j < words.Length; j++)
                if (i != j) Assert.False(words[j].StartsWith(words[i], StringComparison.Ordinal), $"table {name}: code {i} is a prefix of code {j}");
    }
}
