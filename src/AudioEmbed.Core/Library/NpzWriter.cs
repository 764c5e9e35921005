using System.IO.Compression;
using System.Text;
using AudioEmbed.Core.Output;

namespace AudioEmbed.Core.Library;

/// <summary>
/// numpy's .npz: a zip of .npy members (np.load(path) gives a dict-like of arrays). Float matrices as '&lt;f4';
/// strings as a fixed-width unicode '&lt;U{n}' array (UTF-32 little-endian code points, zero-padded), what
/// np.array(list_of_str) makes — loads without allow_pickle.
/// </summary>
public static class NpzWriter
{
    public static void Write(Stream stream, IEnumerable<(string Name, Action<Stream> WriteNpy)> members)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, write) in members)
        {
            var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
            using var s = entry.Open();
            write(s);
        }
    }

    public static Action<Stream> Matrix(IReadOnlyList<float[]> rows, int width) => s =>
    {
        var flat = new float[(long)rows.Count * width];
        for (int r = 0; r < rows.Count; r++) rows[r].AsSpan().CopyTo(flat.AsSpan(r * width, width));
        NpyWriter.Write(s, flat, new[] { rows.Count, width });
    };

    public static Action<Stream> Strings(IReadOnlyList<string> values) => s =>
    {
        var utf32 = values.Select(v => Encoding.UTF32.GetBytes(v)).ToArray(); // little-endian UTF-32: numpy's '<U'
        int width = Math.Max(1, utf32.Length == 0 ? 1 : utf32.Max(b => b.Length / 4));
        s.Write(NpyWriter.BuildHeader(new[] { values.Count }, $"<U{width}"));
        var padded = new byte[width * 4];
        foreach (var b in utf32)
        {
            Array.Clear(padded);
            b.CopyTo(padded, 0);
            s.Write(padded);
        }
    };
}
