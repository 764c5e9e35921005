namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>Side information of one granule of one channel (ISO/IEC 11172-3 2.4.1.7, 13818-3 2.4.1.7).</summary>
internal sealed class Mp3GranuleInfo
{
    /// <summary>block_type values: the long window, the transitions into and out of short blocks, and three short windows.</summary>
    public const int NormalBlock = 0, StartBlock = 1, ShortBlocks = 2, StopBlock = 3;


    public int Part23Length;
    public int BigValues;
    public int GlobalGain;
    public int ScalefacCompress;
    public bool WindowSwitching;
    public int BlockType;
    public bool Mixed;
    public readonly int[] TableSelect = new int[3];
    public readonly int[] SubblockGain = new int[3];
    public int Region0Count;
    public int Region1Count;
    public int Preflag;
    public int ScalefacScale;
    public int Count1Table;

    public bool IsShort => WindowSwitching && BlockType == ShortBlocks;
}

/// <summary>Side information of a whole frame: main_data_begin, scfsi and the granule infos.</summary>
internal sealed class Mp3SideInfo
{
    public int MainDataBegin;
    /// <summary>Scale-factor selection information (MPEG-1 only), [channel][band group 0..3].</summary>
    public readonly int[,] Scfsi = new int[2, 4];
    /// <summary>[granule][channel].</summary>
    public readonly Mp3GranuleInfo[,] Granules = { { new(), new() }, { new(), new() } };

    /// <summary>Reads the side information that follows the header (and CRC) of a frame.</summary>
    public void Read(Mp3BitReader r, in Mp3FrameHeader h)
    {
        int nch = h.Channels;
        bool mpeg1 = h.IsMpeg1;
        if (mpeg1)
        {
            MainDataBegin = r.ReadBits(9);
            r.ReadBits(nch == 1 ? 5 : 3);
            for (int ch = 0; ch < nch; ch++)
                for (int b = 0; b < 4; b++) Scfsi[ch, b] = r.ReadBit();
        }
        else
        {
            MainDataBegin = r.ReadBits(8);
            r.ReadBits(nch == 1 ? 1 : 2);
            for (int ch = 0; ch < 2; ch++)
                for (int b = 0; b < 4; b++) Scfsi[ch, b] = 0;
        }

        for (int gr = 0; gr < h.Granules; gr++)
        {
            for (int ch = 0; ch < nch; ch++)
            {
                var g = Granules[gr, ch];
                g.Part23Length = r.ReadBits(12);
                g.BigValues = Math.Min(r.ReadBits(9), 288); // more than 288 pairs is corrupt; clamp to the spectrum
                g.GlobalGain = r.ReadBits(8);
                g.ScalefacCompress = r.ReadBits(mpeg1 ? 4 : 9);
                g.WindowSwitching = r.ReadBit() == 1;
                if (g.WindowSwitching)
                {
                    g.BlockType = r.ReadBits(2);
                    g.Mixed = r.ReadBit() == 1;
                    g.TableSelect[0] = r.ReadBits(5);
                    g.TableSelect[1] = r.ReadBits(5);
                    g.TableSelect[2] = 0;
                    for (int w = 0; w < 3; w++) g.SubblockGain[w] = r.ReadBits(3);
                    // block_type 0 with window switching is forbidden; treat it as a long block.
                    if (g.BlockType == Mp3GranuleInfo.NormalBlock) g.WindowSwitching = false;
                    g.Region0Count = g.BlockType == Mp3GranuleInfo.ShortBlocks && !g.Mixed ? 8 : 7;
                    g.Region1Count = 20 - g.Region0Count;
                }
                else
                {
                    g.BlockType = Mp3GranuleInfo.NormalBlock;
                    g.Mixed = false;
                    for (int t = 0; t < 3; t++) g.TableSelect[t] = r.ReadBits(5);
                    g.SubblockGain[0] = g.SubblockGain[1] = g.SubblockGain[2] = 0;
                    g.Region0Count = r.ReadBits(4);
                    g.Region1Count = r.ReadBits(3);
                }
                g.Preflag = mpeg1 ? r.ReadBit() : 0;
                g.ScalefacScale = r.ReadBit();
                g.Count1Table = r.ReadBit();
            }
        }
    }
}
