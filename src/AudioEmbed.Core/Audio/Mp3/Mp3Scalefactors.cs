namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>
/// Scale factors of one granule per channel (ISO/IEC 11172-3 2.4.2.7 with scfsi reuse; 13818-3 2.4.3.2 for LSF,
/// including the intensity-position limits of the right channel). MPEG-1 values persist across granules
/// because scfsi lets granule 1 reuse granule 0's.
/// </summary>
internal sealed class Mp3Scalefactors
{
    /// <summary>Long-block scale factors [ch][sfb 0..21] (index 22 spare).</summary>
    public readonly int[][] Long = { new int[23], new int[23] };
    /// <summary>Short-block scale factors [ch][sfb * 3 + window].</summary>
    public readonly int[][] Short = { new int[13 * 3], new int[13 * 3] };
    /// <summary>LSF intensity stereo: the largest (illegal) position of each band of the right channel.</summary>
    public readonly int[] IsMaxLong = new int[23];
    public readonly int[] IsMaxShort = new int[13];

    public void ReadMpeg1(Mp3BitReader r, Mp3GranuleInfo g, Mp3SideInfo side, int ch, int gr)
    {
        int slen1 = Mp3Tables.Slen1[g.ScalefacCompress];
        int slen2 = Mp3Tables.Slen2[g.ScalefacCompress];
        var sl = Long[ch];
        var ss = Short[ch];
        if (g.IsShort)
        {
            int sfb = 0;
            if (g.Mixed)
            {
                for (; sfb < 8; sfb++) sl[sfb] = r.ReadBits(slen1);
                sfb = 3;
            }
            for (; sfb < 6; sfb++)
                for (int w = 0; w < 3; w++) ss[sfb * 3 + w] = r.ReadBits(slen1);
            for (; sfb < 12; sfb++)
                for (int w = 0; w < 3; w++) ss[sfb * 3 + w] = r.ReadBits(slen2);
            ss[36] = ss[37] = ss[38] = 0;
        }
        else
        {
            ReadLongGroup(r, sl, 0, 6, slen1, gr > 0 && side.Scfsi[ch, 0] == 1);
            ReadLongGroup(r, sl, 6, 11, slen1, gr > 0 && side.Scfsi[ch, 1] == 1);
            ReadLongGroup(r, sl, 11, 16, slen2, gr > 0 && side.Scfsi[ch, 2] == 1);
            ReadLongGroup(r, sl, 16, 21, slen2, gr > 0 && side.Scfsi[ch, 3] == 1);
            sl[21] = sl[22] = 0;
        }
    }

    private static void ReadLongGroup(Mp3BitReader r, int[] sl, int from, int to, int slen, bool reuse)
    {
        if (reuse) return; // scfsi: the values of granule 0 are still in the array
        for (int sfb = from; sfb < to; sfb++) sl[sfb] = r.ReadBits(slen);
    }

    public void ReadLsf(Mp3BitReader r, Mp3GranuleInfo g, int ch, bool intensityRight)
    {
        Span<int> slen = stackalloc int[4];
        int table;
        int sfc = g.ScalefacCompress;
        if (intensityRight)
        {
            int isc = sfc >> 1;
            if (isc < 180) { slen[0] = isc / 36; slen[1] = isc % 36 / 6; slen[2] = isc % 36 % 6; slen[3] = 0; table = 3; }
            else if (isc < 244) { int x = isc - 180; slen[0] = (x & 63) >> 4; slen[1] = (x & 15) >> 2; slen[2] = x & 3; slen[3] = 0; table = 4; }
            else { int x = isc - 244; slen[0] = x / 3; slen[1] = x % 3; slen[2] = 0; slen[3] = 0; table = 5; }
            g.Preflag = 0;
        }
        else
        {
            if (sfc < 400) { slen[0] = (sfc >> 4) / 5; slen[1] = (sfc >> 4) % 5; slen[2] = (sfc & 15) >> 2; slen[3] = sfc & 3; table = 0; g.Preflag = 0; }
            else if (sfc < 500) { int x = sfc - 400; slen[0] = (x >> 2) / 5; slen[1] = (x >> 2) % 5; slen[2] = x & 3; slen[3] = 0; table = 1; g.Preflag = 0; }
            else { int x = sfc - 500; slen[0] = x / 3; slen[1] = x % 3; slen[2] = 0; slen[3] = 0; table = 2; g.Preflag = 1; }
        }
        int kind = g.IsShort ? (g.Mixed ? 2 : 1) : 0;
        var sl = Long[ch];
        var ss = Short[ch];
        Array.Clear(sl);
        Array.Clear(ss);
        // Scale factors are read in order: long bands first (mixed), then short bands window by window.
        int longCount = kind == 0 ? 21 : kind == 2 ? 6 : 0;
        int index = 0; // running count of scale-factor entries
        int shortFirst = kind == 2 ? 3 : 0;
        for (int part = 0; part < 4; part++)
        {
            int n = Mp3Tables.LsfPartitionSizes[table, kind, part];
            int bits = slen[part];
            int max = (1 << bits) - 1;
            for (int k = 0; k < n; k++, index++)
            {
                int v = r.ReadBits(bits);
                if (index < longCount)
                {
                    sl[index] = v;
                    if (intensityRight) IsMaxLong[index] = max;
                }
                else
                {
                    int e = index - longCount;
                    int sfb = shortFirst + e / 3;
                    if (sfb < 13)
                    {
                        ss[sfb * 3 + e % 3] = v;
                        if (intensityRight) IsMaxShort[sfb] = max;
                    }
                }
            }
        }
        if (intensityRight)
        {
            // Bands without a transmitted scale factor take the illegal-position limit of the band before.
            for (int sfb = longCount; sfb < 23; sfb++) IsMaxLong[sfb] = sfb > 0 ? IsMaxLong[sfb - 1] : 0;
            int lastShort = shortFirst + (index - longCount) / 3;
            for (int sfb = Math.Max(lastShort, 1); sfb < 13; sfb++) IsMaxShort[sfb] = IsMaxShort[sfb - 1];
        }
    }
}
