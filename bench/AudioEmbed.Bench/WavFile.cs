namespace AudioEmbed.Bench;

internal static class WavFile
{
    /// <summary>Writes interleaved float32 as a WAVE_FORMAT_IEEE_FLOAT file.</summary>
    public static void Write(string path, float[] interleaved, int rate, int channels)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + interleaved.Length * 4); w.Write("WAVEfmt "u8);
        w.Write(16); w.Write((short)3); w.Write((short)channels); w.Write(rate); w.Write(rate * 4 * channels); w.Write((short)(4 * channels)); w.Write((short)32);
        w.Write("data"u8); w.Write(interleaved.Length * 4);
        foreach (var v in interleaved) w.Write(v);
    }

    /// <summary>Writes the music as a 16-bit PCM stereo file (the common CD format) block by block, never holding it whole.</summary>
    public static void WritePcm16(string path, StereoMusic music)
    {
        long dataBytes = music.Frames * 4;
        if (36 + dataBytes > uint.MaxValue) throw new ArgumentException("too long for a RIFF file", nameof(music));
        using var w = new BinaryWriter(new BufferedStream(File.Create(path), 1 << 20));
        w.Write("RIFF"u8); w.Write((uint)(36 + dataBytes)); w.Write("WAVEfmt "u8);
        w.Write(16); w.Write((short)1); w.Write((short)2); w.Write(music.SampleRate); w.Write(music.SampleRate * 4); w.Write((short)4); w.Write((short)16);
        w.Write("data"u8); w.Write((uint)dataBytes);
        var block = new float[2 * 65536];
        int n;
        while ((n = music.Fill(block)) > 0)
            foreach (var v in block.AsSpan(0, 2 * n)) w.Write((short)Math.Clamp(MathF.Round(v * 32767f), -32768f, 32767f));
    }
}
