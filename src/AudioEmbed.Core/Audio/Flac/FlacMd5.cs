using System.Security.Cryptography;

namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// The STREAMINFO MD5 (RFC 9639 section 8.2): over all samples, interleaved, each as a little-endian
/// signed integer of ceil(bits/8) bytes.
/// </summary>
internal sealed class FlacMd5 : IDisposable
{
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly int _bytesPerSample;
    private byte[] _scratch = Array.Empty<byte>();

    public FlacMd5(int bitsPerSample) => _bytesPerSample = (bitsPerSample + 7) / 8;

    public void Append(FlacFrameDecoder frame, int channels, int blockSize)
    {
        int size = blockSize * channels * _bytesPerSample;
        if (_scratch.Length < size) _scratch = new byte[size];
        int o = 0;
        for (int i = 0; i < blockSize; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                long v = frame.Channel(c)[i];
                for (int b = 0; b < _bytesPerSample; b++) _scratch[o++] = (byte)(v >> (8 * b));
            }
        }
        _md5.AppendData(_scratch, 0, size);
    }

    public byte[] Finish() => _md5.GetHashAndReset();

    public void Dispose() => _md5.Dispose();
}
