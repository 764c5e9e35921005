using System.Buffers.Binary;
using System.Text;

namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>One ISO BMFF box: its four-character type, where its payload starts and where the box ends (absolute offsets).</summary>
internal readonly record struct Mp4Box(uint Type, long HeaderStart, long PayloadStart, long End)
{
    public long PayloadLength => End - PayloadStart;

    public bool Is(string fourCC) => Type == FourCC(fourCC);

    public string Name => Describe(Type);

    public static uint FourCC(string s) => (uint)(s[0] << 24 | s[1] << 16 | s[2] << 8 | s[3]);

    public static string Describe(uint type)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, type);
        foreach (var c in b)
            if (c < 0x20 || c > 0x7E) return "0x" + type.ToString("X8");
        return Encoding.Latin1.GetString(b);
    }
}
