using System.Buffers.Binary;

namespace AudioEmbed.Tests.PowerShell;

/// <summary>Writes test WAV files: the reference waveforms of ../shared as float32 WAV, and synthetic tones.</summary>
public static class TestAudio
{
    public static void WriteFloatWav(string path, ReadOnlySpan<float> interleaved, int sampleRate, int channels = 1)
    {
        int dataBytes = interleaved.Length * 4;
        var bytes = new byte[44 + dataBytes];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(20), 3); // IEEE float
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(22), (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), sampleRate * 4 * channels);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(32), (short)(4 * channels));
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(34), 32);
        "data"u8.CopyTo(bytes.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(40), dataBytes);
        for (int i = 0; i < interleaved.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(44 + 4 * i), interleaved[i]);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The reference 16 kHz waveform of a shared example song, as a WAV named after the song.</summary>
    public static string ReferenceSong(string dir, string song)
    {
        var wave = SharedData.Npy("fixtures", "musicnn", song, "waveform_16k.npy").ToFloat32();
        var path = Path.Combine(dir, song + ".wav");
        WriteFloatWav(path, wave, 16000);
        return path;
    }

    public static string Tone(string dir, string name, double seconds, int sampleRate = 16000, double hz = 440)
    {
        var samples = new float[(int)(seconds * sampleRate)];
        for (int i = 0; i < samples.Length; i++) samples[i] = (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / sampleRate));
        var path = Path.Combine(dir, name);
        WriteFloatWav(path, samples, sampleRate);
        return path;
    }

    public const string SongA = "TRWJAZW128F42760DD_test";
    public const string SongB = "joram-moments_of_clarity-08-solipsism-59-88";
}
