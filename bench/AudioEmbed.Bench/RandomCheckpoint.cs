using System.Text;
using System.Text.Json.Nodes;
using AudioEmbed.Core.Audio;

namespace AudioEmbed.Bench;

/// <summary>Full-size checkpoints with random weights, from the real key/shape lists in ../shared (the real weights are not here).</summary>
internal static class RandomCheckpoint
{
    /// <summary>entries: [{key, shape}] → an F32 safetensors file of small random values (aliased keys get their own copy).</summary>
    public static void WriteSafetensors(string path, JsonArray entries)
    {
        var rng = new Random(7);
        var header = new JsonObject();
        long offset = 0;
        var shapes = new List<(string Name, long Count)>();
        foreach (var e in entries)
        {
            var shape = e!["shape"]!.AsArray().Select(x => (long)x!).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            header[(string)e["key"]!] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + 4 * count) };
            shapes.Add(((string)e["key"]!, count));
            offset += 4 * count;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = new BinaryWriter(File.Create(path));
        file.Write((ulong)headerBytes.Length);
        file.Write(headerBytes);
        var buffer = new float[1 << 16];
        foreach (var (_, count) in shapes)
            for (long done = 0; done < count; done += buffer.Length)
            {
                int n = (int)Math.Min(buffer.Length, count - done);
                // Small random values (±0.02, like a trained model's initialisation) keep activations finite.
                for (int i = 0; i < n; i++) buffer[i] = (float)(rng.NextDouble() - 0.5) * 0.04f;
                foreach (var v in buffer.AsSpan(0, n)) file.Write(v);
            }
    }

}

/// <summary>An in-memory mono source.</summary>
    /// <summary>An in-memory mono source.</summary>
internal sealed class ArraySource(float[] samples, int rate) : IAudioSource
{
    private int _position;
    public int SampleRate => rate;
    public int Channels => 1;
    public long? TotalFrames => samples.Length;
    public int Read(Span<float> interleaved)
    {
        int n = Math.Min(interleaved.Length, samples.Length - _position);
        samples.AsSpan(_position, n).CopyTo(interleaved);
        _position += n;
        return n;
    }
    public void Dispose() { }
}
