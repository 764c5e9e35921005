namespace AudioEmbed.Bench;

/// <summary>Writes interleaved float32 as a WAVE_FORMAT_IEEE_FLOAT file.</summary>
internal static class WavFile
{
    public static void Write(string path, float[] interleaved, int rate, int channels)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + interleaved.Length * 4); w.Write("WAVEfmt "u8);
        w.Write(16); w.Write((short)3); w.Write((short)channels); w.Write(rate); w.Write(rate * 4 * channels); w.Write((short)(4 * channels)); w.Write((short)32);
        w.Write("data"u8); w.Write(interleaved.Length * 4);
        foreach (var v in interleaved) w.Write(v);
    }
}
