using AudioEmbed.Core.Models.MusiCNN;

namespace AudioEmbed.Tests.Dsp;

public class MusicnnFrontendStreamTests
{
    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * 0.3f;
        return x;
    }

    private static List<float[]> Stream(float[] wave, Func<int> blockSize)
    {
        var stream = new MusicnnFrontendStream();
        var patches = new List<float[]>();
        int pos = 0;
        while (pos < wave.Length)
        {
            int n = Math.Min(blockSize(), wave.Length - pos);
            stream.Push(wave.AsSpan(pos, n), patches);
            pos += n;
        }
        stream.Complete(patches);
        Assert.Equal(patches.Count, stream.PatchesEmitted);
        return patches;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    [InlineData(257)]
    [InlineData(16000)]
    [InlineData(47615)]  // 186 frames: short input, one padded patch
    [InlineData(47616)]  // 187 frames: exactly one patch
    [InlineData(95744)]  // 375 frames: two patches, one frame dropped
    [InlineData(160123)]
    public void RandomBlocks_GiveBitIdenticalPatchesToTheArrayApi(int length)
    {
        var wave = Noise(length, length);
        var expected = MusicnnPatcher.FromWaveform(wave);
        foreach (int seed in new[] { 1, 2 })
        {
            var rng = new Random(seed);
            var patches = Stream(wave, () => rng.Next(1, seed == 1 ? 700 : 20000));
            Assert.Equal(expected.Count, patches.Count);
            for (int p = 0; p < patches.Count; p++)
                Assert.True(expected[p].SequenceEqual(patches[p]), $"patch {p} of {length} samples differs (seed {seed})");
        }
    }

    [Fact]
    public void PatchesArriveAsSoonAsTheirFramesAreComplete()
    {
        var wave = Noise(16000 * 7, 9);
        var stream = new MusicnnFrontendStream();
        var patches = new List<float[]>();
        // Frame 186 (the last of patch 0) is centred on sample 186*256 and reads up to 186*256 + 255.
        int needed = 186 * 256 + 256;
        Assert.Equal(0, stream.Push(wave.AsSpan(0, needed - 1), patches));
        Assert.Equal(1, stream.Push(wave.AsSpan(needed - 1, 1), patches));
        Assert.Single(patches);
    }

    [Fact]
    public void TenMinutesInSmallBlocks_KeepTheBufferSmall()
    {
        var block = Noise(4096, 4);
        var stream = new MusicnnFrontendStream();
        var patches = new List<float[]>();
        long total = 16000L * 600;
        for (long pos = 0; pos < total; pos += block.Length) stream.Push(block, patches);
        Assert.True(stream.BufferCapacity <= 16384, $"buffer grew to {stream.BufferCapacity} samples");
        stream.Complete(patches);
        Assert.Equal(MusicnnPatcher.PatchCount(MusicnnFrontend.Instance.FrameCount(stream.SamplesReceived)), patches.Count);
    }

    [Fact]
    public void PushAfterComplete_Throws()
    {
        var stream = new MusicnnFrontendStream();
        var patches = new List<float[]>();
        stream.Complete(patches);
        Assert.Empty(patches);
        Assert.Equal(0, stream.Complete(patches));
        Assert.Throws<InvalidOperationException>(() => stream.Push(new float[10], patches));
    }
}
