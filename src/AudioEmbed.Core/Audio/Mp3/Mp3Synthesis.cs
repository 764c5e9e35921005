using System.Numerics;
using System.Runtime.InteropServices;

namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Polyphase synthesis filterbank of ISO/IEC 11172-3 (2.4.3.2 / Annex A figure): 32 subband samples in,
/// 32 PCM samples out per time slot. The 64-point matrixing is computed from a 32-point DCT-II
/// (V[i] = X[16+i], 0, -X[48-i], -X[i-48]) and the 1024-entry V vector is a ring buffer, one per channel.
/// </summary>
internal sealed class Mp3Synthesis
{
    /// <summary>cos(pi (2n+1) k / 64) stored by input column n: [n * 32 + k], so the DCT is 32 vector multiply-adds per non-zero subband.</summary>
    private static readonly float[] DctColumns = BuildDct();

    private readonly float[] _v = new float[1024];
    private int _offset;

    private static float[] BuildDct()
    {
        var m = new float[32 * 32];
        for (int k = 0; k < 32; k++)
            for (int n = 0; n < 32; n++)
                m[n * 32 + k] = (float)Math.Cos(Math.PI * (2 * n + 1) * k / 64);
        return m;
    }

    public void Reset()
    {
        Array.Clear(_v);
        _offset = 0;
    }

    /// <summary>One time slot: 32 subband samples to 32 output samples written with the given stride.</summary>
    public void Synthesize(ReadOnlySpan<float> subbands, Span<float> output, int stride)
    {
        Span<float> x = stackalloc float[32];
        x.Clear();
        int vw = Vector<float>.Count;
        var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        var cols = MemoryMarshal.Cast<float, Vector<float>>(DctColumns.AsSpan());
        int perColumn = xv.Length; // 32 / vw (Vector<float> is 4, 8 or 16 wide)
        for (int n = 0; n < 32; n++)
        {
            float s = subbands[n];
            if (s == 0) continue; // high subbands are often silent
            var c = cols.Slice(n * perColumn, perColumn);
            for (int j = 0; j < perColumn; j++) xv[j] += c[j] * s;
        }

        _offset = (_offset - 64) & 1023;
        var v = _v.AsSpan(_offset, 64);
        for (int i = 0; i < 16; i++) v[i] = x[16 + i];
        v[16] = 0;
        for (int i = 17; i < 48; i++) v[i] = -x[48 - i];
        for (int i = 48; i < 64; i++) v[i] = -x[i - 48];

        Span<float> sum = stackalloc float[32];
        sum.Clear();
        var d = Mp3Tables.SynthesisWindow.AsSpan();
        for (int j = 0; j < 8; j++)
        {
            var va = _v.AsSpan((_offset + 128 * j) & 1023, 32);
            var vb = _v.AsSpan((_offset + 128 * j + 96) & 1023, 32);
            var da = d.Slice(64 * j, 32);
            var db = d.Slice(64 * j + 32, 32);
            if (32 % vw == 0)
            {
                for (int i = 0; i < 32; i += vw)
                {
                    var s = new Vector<float>(sum.Slice(i, vw));
                    s += new Vector<float>(va.Slice(i, vw)) * new Vector<float>(da.Slice(i, vw));
                    s += new Vector<float>(vb.Slice(i, vw)) * new Vector<float>(db.Slice(i, vw));
                    s.CopyTo(sum.Slice(i, vw));
                }
            }
            else
            {
                for (int i = 0; i < 32; i++) sum[i] += va[i] * da[i] + vb[i] * db[i];
            }
        }
        for (int i = 0; i < 32; i++) output[i * stride] = sum[i];
    }
}
