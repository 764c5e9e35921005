using System.Text;
using System.Text.Json.Nodes;
using AudioEmbed.Core.Audio;

namespace AudioEmbed.Bench;

/// <summary>Full-size checkpoints with random weights, from the real key/shape lists in ../shared (the real weights are not here).</summary>
internal static class RandomCheckpoint
{
    /// <summary>
    /// entries: [{key, shape}] → an F32 safetensors file of small random values (aliased keys get their own copy).
    /// Default: every value U(±0.02). <paramref name="torchInit"/>: closer to a real network's scales, for accuracy
    /// comparisons: weights U(±1/√fan_in) as torch's default init, norm weights 1 ± 0.1, other vectors U(±0.02),
    /// so layer norms pass their input on instead of shrinking it 50× (which would hide quantisation error).
    /// </summary>
    public static void WriteSafetensors(string path, JsonArray entries, bool torchInit = false)
    {
        var rng = new Random(7);
        var header = new JsonObject();
        long offset = 0;
        var shapes = new List<(string Name, long[] Shape, long Count)>();
        foreach (var e in entries)
        {
            var shape = e!["shape"]!.AsArray().Select(x => (long)x!).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            header[(string)e["key"]!] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(shape.Select(s => (JsonNode)s).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + 4 * count) };
            shapes.Add(((string)e["key"]!, shape, count));
            offset += 4 * count;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = new BinaryWriter(File.Create(path));
        file.Write((ulong)headerBytes.Length);
        file.Write(headerBytes);
        var buffer = new float[1 << 16];
        foreach (var (name, shape, count) in shapes)
        {
            var (centre, halfWidth) = torchInit ? TorchInit(name, shape) : (0f, 0.02f);
            for (long done = 0; done < count; done += buffer.Length)
            {
                int n = (int)Math.Min(buffer.Length, count - done);
                // Small random values (±0.02, like a trained model's initialisation) keep activations finite.
                for (int i = 0; i < n; i++) buffer[i] = centre + (float)(2 * rng.NextDouble() - 1) * halfWidth;
                foreach (var v in buffer.AsSpan(0, n)) file.Write(v);
            }
        }
    }

    /// <summary>(centre, half width) of the uniform distribution of one tensor under <c>torchInit</c>.</summary>
    private static (float Centre, float HalfWidth) TorchInit(string name, long[] shape)
    {
        if (shape.Length >= 2)
        {
            long fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            return (0f, (float)(1 / Math.Sqrt(fanIn)));
        }
        bool normWeight = name.EndsWith(".weight", StringComparison.Ordinal) && name.Contains("norm", StringComparison.Ordinal);
        return normWeight ? (1f, 0.1f) : (0f, 0.02f);
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
