using AudioEmbed.Core.Audio.Aac;

namespace AudioEmbed.Tests.Aac;

/// <summary>The FFT-based IMDCT against the standard's direct sum, the windows' perfect-reconstruction property, and the codebooks.</summary>
public class AacFilterbankTests
{
    [Theory]
    [InlineData(1024)]
    [InlineData(128)]
    public void Fast_imdct_equals_the_direct_formula(int m)
    {
        var rng = new Random(m);
        var x = Enumerable.Range(0, m).Select(_ => (float)(rng.NextDouble() * 2 - 1) * 1000).ToArray();
        var half = new float[m];
        new AacImdct(m).TransformHalf(x, half);
        int n = 2 * m;
        double worst = 0, peak = 0;
        for (int i = 0; i < m; i++)
        {
            int t = n / 4 + i;
            double y = 0;
            for (int k = 0; k < m; k++) y += x[k] * Math.Cos(2 * Math.PI / n * (t + (n / 2.0 + 1) / 2) * (k + 0.5));
            y *= 2.0 / n / 32768;
            worst = Math.Max(worst, Math.Abs(y - half[i]));
            peak = Math.Max(peak, Math.Abs(y));
        }
        Assert.True(worst < 2e-6 * peak, $"IMDCT {m}: max error {worst:E3} of peak {peak:E3}");
    }

    [Fact]
    public void Windows_satisfy_princen_bradley()
    {
        foreach (var w in new[] { AacWindows.SineLong, AacWindows.SineShort, AacWindows.KbdLong, AacWindows.KbdShort })
            for (int i = 0; i < w.Length; i++)
                Assert.InRange(w[i] * w[i] + w[w.Length - 1 - i] * w[w.Length - 1 - i], 1 - 1e-6, 1 + 1e-6);
        // KBD alpha 4, long: a few values of the standard's definition, computed independently in double.
        Assert.InRange(AacWindows.KbdLong[0], 2.9e-4f, 3.0e-4f);
        Assert.InRange(AacWindows.KbdLong[1023], 0.99999f, 1.00001f);
    }

    [Fact]
    public void Every_codeword_of_every_book_decodes_to_its_index()
    {
        for (int book = 0; book < 12; book++)
        {
            var entries = AacHuffmanData.Books[book];
            var w = new AacBitWriter();
            for (int i = 0; i < entries.Length; i++) w.Code(book, i);
            var br = new AacBitReader();
            br.Reset(w.ToArray());
            for (int i = 0; i < entries.Length; i++) Assert.Equal(i, AacHuffmanTable.Books[book].Decode(br));
            Assert.Equal(w.BitCount, br.Position);
        }
        Assert.Equal(new[] { 121, 81, 81, 81, 81, 81, 81, 64, 64, 169, 169, 289 }, AacHuffmanData.Books.Select(b => b.Length));
    }
}
