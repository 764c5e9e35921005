namespace AudioEmbed.Tests.Formats;

/// <summary>
/// An Ogg file whose first (and only) page holds an Opus identification header: the smallest file the module must
/// route to ffmpeg (Opus has no managed decoder), written without ffmpeg so the "ffmpeg is missing" tests run anywhere.
/// </summary>
public static class CraftedOgg
{
    private static readonly Lazy<string> Path_ = new(() =>
    {
        string path = Path.Combine(FormatTestFiles.TempFolder, "opus-header-only.ogg");
        var head = new byte[] { (byte)'O', (byte)'p', (byte)'u', (byte)'s', (byte)'H', (byte)'e', (byte)'a', (byte)'d', 1, 2, 0x38, 1, 0x80, 0xBB, 0, 0, 0, 0, 0 };
        var page = new byte[27 + 1 + head.Length];
        "OggS"u8.CopyTo(page);
        page[5] = 2;          // beginning of stream
        page[14] = 0x2A;      // serial
        page[26] = 1;         // one lacing value
        page[27] = (byte)head.Length;
        head.CopyTo(page, 28);
        File.WriteAllBytes(path, page);
        return path;
    });

    public static string OpusHeaderOnly() => Path_.Value;
}
