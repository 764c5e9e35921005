namespace AudioEmbed.Core.Audio.Mp3;

/// <summary>The frame header's two mode bits (ISO/IEC 11172-3 2.4.2.3).</summary>
internal enum Mp3ChannelMode
{
    Stereo = 0,
    /// <summary>Mid/side and/or intensity stereo, as the mode extension says.</summary>
    JointStereo = 1,
    DualChannel = 2,
    Mono = 3,
}
