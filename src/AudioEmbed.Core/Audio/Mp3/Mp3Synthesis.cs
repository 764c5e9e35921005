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
        var sv = MemoryMarshal.Cast<float, Vector<float>>(sum);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(_v.AsSpan());
        var dv = MemoryMarshal.Cast<float, Vector<float>>(Mp3Tables.SynthesisWindow.AsSpan());
        int per = sv.Length; // vectors per 32 floats
        for (int j = 0; j < 8; j++)
        {
            // V blocks start at multiples of 32 floats, so they are whole vectors (Vector<float> is 4, 8 or 16 wide).
            int a = ((_offset + 128 * j) & 1023) / vw;
            int b = ((_offset + 128 * j + 96) & 1023) / vw;
            int da = 64 * j / vw, db = (64 * j + 32) / vw;
            for (int i = 0; i < per; i++)
                sv[i] += vv[a + i] * dv[da + i] + vv[b + i] * dv[db + i];
        }
        for (int i = 0; i < 32; i++) output[i * stride] = sum[i];
    }
}
