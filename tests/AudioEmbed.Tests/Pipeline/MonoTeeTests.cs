using AudioEmbed.Core.Audio;
using AudioEmbed.Core.Pipeline;

namespace AudioEmbed.Tests.Pipeline;

/// <summary>
/// The tee under several models: every branch reads exactly the decoded samples whatever its read sizes, and the
/// tee holds only what the slowest branch has not read (the multi-model pass always reads the branch furthest behind).
/// </summary>
public class MonoTeeTests
{
    /// <summary>A mono source that hands out odd-sized pieces, as decoders do.</summary>
    private sealed class PiecewiseSource(float[] samples, int piece) : IAudioSource
    {
        private int _position;
        public int SampleRate => 44100;
        public int Channels => 1;
        public long? TotalFrames => samples.Length;
        public int Read(Span<float> interleaved)
        {
            int n = Math.Min(Math.Min(piece, interleaved.Length), samples.Length - _position);
            samples.AsSpan(_position, n).CopyTo(interleaved);
            _position += n;
            return n;
        }
        public void Dispose() { }
    }

    [Fact]
    public void Branches_ReadTheWholeStream_AndTheTeeHoldsOnlyTheLag()
    {
        var random = new Random(15);
        var samples = Enumerable.Range(0, 1_000_003).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var tee = new MonoTee(new PiecewiseSource(samples, 5000));
        var branches = new[] { tee.AddBranch(), tee.AddBranch(), tee.AddBranch() };
        int[] readSizes = { 1000, 16384, 7777 };
        var outputs = branches.Select(_ => new List<float>()).ToArray();
        var done = new bool[3];
        long held = 0;
        var buffer = new float[16384];
        while (done.Contains(false))
        {
            int b = Enumerable.Range(0, 3).Where(i => !done[i]).MinBy(i => branches[i].Position);
            int n = branches[b].Read(buffer.AsSpan(0, readSizes[b]));
            if (n == 0) done[b] = true;
            else outputs[b].AddRange(buffer.AsSpan(0, n).ToArray());
            held = Math.Max(held, tee.HeldFrames);
        }
        foreach (var output in outputs) Assert.Equal(samples, output);
        Assert.Equal(samples.Length, tee.FramesDecoded);
        // The lag is at most one read (16,384) plus a decode block (16,384) plus a partial block: never the file.
        Assert.InRange(held, 1, 3 * 16384);
    }

    [Fact]
    public void ADetachedBranch_HoldsNothingBack()
    {
        var samples = new float[200_000];
        var tee = new MonoTee(new PiecewiseSource(samples, 4096));
        var reader = tee.AddBranch();
        var stalled = tee.AddBranch();
        var buffer = new float[10_000];
        while (reader.Position < 50_000) reader.Read(buffer);
        Assert.True(tee.HeldFrames >= 50_000); // the stalled branch has read nothing: all is kept for it
        tee.Detach(stalled);
        Assert.True(tee.HeldFrames <= 16384); // the block the reader is in
        while (reader.Read(buffer) > 0) Assert.True(tee.HeldFrames < 2 * 16384);
    }
}
