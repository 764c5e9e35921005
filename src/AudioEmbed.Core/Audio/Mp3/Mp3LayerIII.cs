namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Decodes the main data of Layer III frames to PCM: scale factors, Huffman decoding, requantisation,
/// MS and intensity stereo, short-block reordering, alias reduction, IMDCT and synthesis
/// (ISO/IEC 11172-3 2.4.3.4, 13818-3 2.4.3.2). Holds the per-channel state that crosses frames
/// (IMDCT overlap, synthesis V buffers, MPEG-1 scale factors reused through scfsi) and the bit reservoir that joins
/// each frame's main data to the bytes earlier frames left.
/// </summary>
internal sealed class Mp3LayerIII(int maxFrameBytes)
{
    private static readonly float[] Pow43 = BuildPow43();
    /// <summary>2^(q/4) for q = index - PowOffset.</summary>
    private static readonly float[] Pow2Quarter = BuildPow2Quarter();
    private const int PowOffset = 512;
    private static readonly float[] Cs = new float[8];
    private static readonly float[] Ca = new float[8];

    private readonly Mp3BitReader _reader = new();
    private readonly int[][] _quantized = { new int[576], new int[576] };
    private readonly float[][] _xr = { new float[576], new float[576] };
    private readonly float[] _reorderTemp = new float[576];
    private readonly Mp3Scalefactors _scf = new();
    private readonly int[] _nonZero = new int[2];
    private readonly float[][] _overlap = { new float[576], new float[576] };
    private readonly Mp3Synthesis[] _synthesis = { new(), new() };
    private readonly Mp3SideInfo _side = new();
    private readonly Mp3BitReservoir _reservoir = new(maxFrameBytes);

    static Mp3LayerIII()
    {
        for (int i = 0; i < 8; i++)
        {
            double c = Mp3Tables.AliasCoefficients[i];
            double n = Math.Sqrt(1 + c * c);
            Cs[i] = (float)(1 / n);
            Ca[i] = (float)(c / n);
        }
    }

    private static float[] BuildPow43()
    {
        var t = new float[8207];
        for (int i = 0; i < t.Length; i++) t[i] = (float)Math.Pow(i, 4.0 / 3.0);
        return t;
    }

    private static float[] BuildPow2Quarter()
    {
        var t = new float[PowOffset + 128];
        for (int i = 0; i < t.Length; i++) t[i] = (float)Math.Pow(2, (i - PowOffset) / 4.0);
        return t;
    }

    public void Reset()
    {
        foreach (var o in _overlap) Array.Clear(o);
        foreach (var s in _synthesis) s.Reset();
    }

    /// <summary>Reads the side information of a frame; <paramref name="frame"/> starts at the header.</summary>
    public Mp3SideInfo ReadSideInfo(byte[] frame, int start, int length, in Mp3FrameHeader h)
    {
        _reader.Reset(frame, start + 4 + (h.HasCrc ? 2 : 0), start + length);
        _side.Read(_reader, h);
        return _side;
    }

    /// <summary>
    /// Decodes one frame, whose own main data (the bytes after its side information) is <paramref name="frameMainData"/>,
    /// into interleaved PCM, <c>SamplesPerFrame * outChannels</c> values (<paramref name="outChannels"/> equals the
    /// frame's channel count: the stream signature fixes it). The main data is joined with the bit reservoir first;
    /// when the bytes the frame points back to are missing, the frame decodes as silence but still runs the
    /// filterbanks so that the following frames overlap correctly.
    /// </summary>
    public void DecodeFrame(in Mp3FrameHeader h, Mp3SideInfo side, ReadOnlySpan<byte> frameMainData, Span<float> pcm, int outChannels)
    {
        int mainStart = _reservoir.Append(frameMainData, side.MainDataBegin);
        DecodeMainData(h, side, mainStart < 0 ? null : _reservoir.Bytes, Math.Max(0, mainStart), _reservoir.Length, pcm, outChannels);
    }

    private void DecodeMainData(in Mp3FrameHeader h, Mp3SideInfo side, byte[]? mainData, int mainStart, int mainEnd, Span<float> pcm, int outChannels)
    {
        int nch = h.Channels;
        int sri = h.SampleRateIndex;
        if (mainData != null) _reader.Reset(mainData, mainStart, mainEnd);
        int bitPos = mainStart * 8;
        Span<float> slot = stackalloc float[32];
        for (int gr = 0; gr < h.Granules; gr++)
        {
            for (int ch = 0; ch < nch; ch++)
            {
                var g = side.Granules[gr, ch];
                if (mainData == null)
                {
                    Array.Clear(_xr[ch]);
                    _nonZero[ch] = 0;
                    continue;
                }
                _reader.Position = bitPos;
                int end = bitPos + g.Part23Length;
                bitPos = end;
                if (h.IsMpeg1) _scf.ReadMpeg1(_reader, g, side, ch, gr);
                else _scf.ReadLsf(_reader, g, ch, ch == 1 && h.IntensityStereo);
                _nonZero[ch] = ReadHuffman(g, sri, h.IsMpeg1, end, _quantized[ch]);
                Requantize(g, sri, h.IsMpeg1, ch);
            }

            if (nch == 2 && h.ChannelMode == Mp3ChannelMode.JointStereo && mainData != null)
                Mp3Stereo.Process(h, side.Granules[gr, 1], sri, _xr[0], _xr[1], _scf, _nonZero);

            for (int ch = 0; ch < nch; ch++)
            {
                var g = side.Granules[gr, ch];
                var xr = _xr[ch];
                if (g.IsShort) Reorder(xr, sri, g.Mixed ? 3 : 0, g.Mixed ? (h.IsMpeg1 || sri != Mp3Tables.SampleRateIndex8kHz ? 36 : 72) : 0);
                AliasReduce(g, xr, _nonZero[ch]);
                Hybrid(g, xr, _overlap[ch], _nonZero[ch], h.IsMpeg1, sri);
                var outSpan = pcm.Slice(gr * 576 * outChannels + ch);
                for (int t = 0; t < 18; t++)
                {
                    for (int sb = 0; sb < 32; sb++) slot[sb] = xr[sb * 18 + t];
                    _synthesis[ch].Synthesize(slot, outSpan.Slice(t * 32 * outChannels), outChannels);
                }
            }
        }
    }

    /// <summary>Huffman-decodes big values and count-1 quadruples; returns the index after the last decoded line.</summary>
    private int ReadHuffman(Mp3GranuleInfo g, int sri, bool mpeg1, int endBit, int[] q)
    {
        var r = _reader;
        var bounds = Mp3Tables.LongBounds[sri];
        int bigEnd = g.BigValues * 2;
        int region1, region2;
        if (g.WindowSwitching)
        {
            if (g.BlockType == Mp3GranuleInfo.ShortBlocks) region1 = sri == Mp3Tables.SampleRateIndex8kHz ? 72 : 36;
            else region1 = mpeg1 ? 36 : sri == Mp3Tables.SampleRateIndex8kHz ? 108 : 54;
            region2 = 576;
        }
        else
        {
            region1 = bounds[Math.Min(g.Region0Count + 1, 22)];
            region2 = bounds[Math.Min(g.Region0Count + g.Region1Count + 2, 22)];
        }
        region1 = Math.Min(region1, bigEnd);
        region2 = Math.Min(region2, bigEnd);

        int i = 0;
        for (int region = 0; region < 3; region++)
        {
            int regionEnd = region == 0 ? region1 : region == 1 ? region2 : bigEnd;
            int table = g.TableSelect[region];
            var tree = Mp3Huffman.PairTrees[table];
            var lookup = Mp3Huffman.PairLookups[table];
            if (tree == null || lookup == null)
            {
                for (; i < regionEnd; i++) q[i] = 0;
                continue;
            }
            int linbits = Mp3Huffman.Linbits[table];
            for (; i < regionEnd; i += 2)
            {
                int v = Mp3Huffman.Decode(r, tree, lookup);
                int x = v >> 4, y = v & 15;
                if (x == 15 && linbits > 0) x += r.ReadBits(linbits);
                if (x != 0 && r.ReadBit() == 1) x = -x;
                if (y == 15 && linbits > 0) y += r.ReadBits(linbits);
                if (y != 0 && r.ReadBit() == 1) y = -y;
                q[i] = x;
                q[i + 1] = y;
            }
        }

        // Count-1 region: quadruples until the granule's bits are used up.
        var quadTree = g.Count1Table == 0 ? Mp3Huffman.QuadTreeA : null;
        while (i + 4 <= 576 && r.Position < endBit)
        {
            int v;
            if (quadTree != null) v = Mp3Huffman.Decode(r, quadTree, Mp3Huffman.QuadLookupA);
            else v = 15 - r.ReadBits(4);
            int a = (v >> 3) & 1, b = (v >> 2) & 1, c = (v >> 1) & 1, d = v & 1;
            if (a != 0 && r.ReadBit() == 1) a = -a;
            if (b != 0 && r.ReadBit() == 1) b = -b;
            if (c != 0 && r.ReadBit() == 1) c = -c;
            if (d != 0 && r.ReadBit() == 1) d = -d;
            if (r.Position > endBit) break; // the last quadruple ran past part2_3_length: discard it
            q[i] = a; q[i + 1] = b; q[i + 2] = c; q[i + 3] = d;
            i += 4;
        }
        int last = i;
        for (; i < 576; i++) q[i] = 0;
        while (last > 0 && q[last - 1] == 0) last--;
        return last;
    }

    private void Requantize(Mp3GranuleInfo g, int sri, bool mpeg1, int ch)
    {
        var q = _quantized[ch];
        var xr = _xr[ch];
        int nz = _nonZero[ch];
        int shift = g.ScalefacScale == 1 ? 4 : 2; // scale-factor step in quarter powers of two
        int baseQ = g.GlobalGain - 210;
        var sl = _scf.Long[ch];
        var ss = _scf.Short[ch];
        Array.Clear(xr);
        if (!g.IsShort || g.Mixed)
        {
            var lb = Mp3Tables.LongBounds[sri];
            int longEnd = g.IsShort ? (mpeg1 ? 8 : 6) : 22;
            for (int sfb = 0; sfb < longEnd; sfb++)
            {
                int start = lb[sfb], stop = lb[sfb + 1];
                if (start >= nz) break;
                int pre = g.Preflag != 0 ? Mp3Tables.Pretab[sfb] : 0;
                int qexp = baseQ - shift * (sl[sfb] + pre);
                float gain = Pow2(qexp);
                for (int i = start; i < stop; i++) xr[i] = Dequant(q[i], gain);
            }
        }
        if (g.IsShort)
        {
            var sb = Mp3Tables.ShortBounds[sri];
            int first = g.Mixed ? 3 : 0;
            for (int sfb = first; sfb < 13; sfb++)
            {
                int width = sb[sfb + 1] - sb[sfb];
                int start = sb[sfb] * 3;
                if (start >= nz) break;
                for (int w = 0; w < 3; w++)
                {
                    int qexp = baseQ - 8 * g.SubblockGain[w] - shift * ss[sfb * 3 + w];
                    float gain = Pow2(qexp);
                    int s = start + w * width;
                    for (int i = s; i < s + width; i++) xr[i] = Dequant(q[i], gain);
                }
            }
        }
    }

    private static float Pow2(int quarterExponent)
    {
        int idx = quarterExponent + PowOffset;
        if (idx < 0) return 0f;
        if (idx >= Pow2Quarter.Length) idx = Pow2Quarter.Length - 1;
        return Pow2Quarter[idx];
    }

    private static float Dequant(int v, float gain)
    {
        if (v == 0) return 0f;
        return v > 0 ? Pow43[v] * gain : -Pow43[-v] * gain;
    }

    /// <summary>Reorders short-block lines from band/window/frequency order to frequency/window order (x[3k + w] per subband).</summary>
    private void Reorder(float[] xr, int sri, int firstBand, int startLine)
    {
        var sb = Mp3Tables.ShortBounds[sri];
        var t = _reorderTemp;
        for (int sfb = firstBand; sfb < 13; sfb++)
        {
            int width = sb[sfb + 1] - sb[sfb];
            int baseIdx = sb[sfb] * 3;
            for (int w = 0; w < 3; w++)
                for (int j = 0; j < width; j++)
                    t[baseIdx + 3 * j + w] = xr[baseIdx + w * width + j];
        }
        Array.Copy(t, startLine, xr, startLine, 576 - startLine);
    }

    private static void AliasReduce(Mp3GranuleInfo g, float[] xr, int nonZero)
    {
        int limit;
        if (g.IsShort)
        {
            if (!g.Mixed) return;
            limit = 1; // only between the two long subbands and the first short one
        }
        else
        {
            limit = Math.Min(31, nonZero / 18 + 1);
        }
        for (int sb = 1; sb <= limit; sb++)
        {
            int b = sb * 18;
            for (int i = 0; i < 8; i++)
            {
                float lo = xr[b - 1 - i], hi = xr[b + i];
                xr[b - 1 - i] = lo * Cs[i] - hi * Ca[i];
                xr[b + i] = hi * Cs[i] + lo * Ca[i];
            }
        }
    }

    private static void Hybrid(Mp3GranuleInfo g, float[] xr, float[] overlap, int nonZero, bool mpeg1, int sri)
    {
        // Subbands above the last non-zero line (plus alias spill) only release their overlap.
        int active = g.IsShort ? 32 : Math.Min(32, nonZero / 18 + 2);
        int longSubbands = g.IsShort ? (g.Mixed ? 2 : 0) : 32;
        if (g.IsShort && g.Mixed && !mpeg1 && sri == Mp3Tables.SampleRateIndex8kHz) longSubbands = 4; // 8 kHz: the long part covers 72 lines
        for (int sb = 0; sb < 32; sb++)
        {
            var x = xr.AsSpan(sb * 18, 18);
            var o = overlap.AsSpan(sb * 18, 18);
            if (sb >= active) Mp3Imdct.Zero(x, o);
            else if (sb < longSubbands)
                // With the mixed flag set (also on start/stop blocks) the two lowest subbands use the normal window.
                Mp3Imdct.Long(x, o, g.IsShort || (g.Mixed && g.WindowSwitching && sb < 2) ? Mp3GranuleInfo.NormalBlock : g.BlockType);
            else Mp3Imdct.Short(x, o);
            if ((sb & 1) == 1)
                for (int n = 1; n < 18; n += 2) x[n] = -x[n];
        }
    }
}
