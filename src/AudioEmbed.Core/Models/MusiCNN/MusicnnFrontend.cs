using System.Buffers;
using AudioEmbed.Core.Dsp;

namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// MusiCNN's input features from a 16 kHz mono waveform, as musicnn computes them with librosa 0.8.1:
/// <c>melspectrogram(y, sr=16000, n_fft=512, hop_length=256, n_mels=96)</c> (centred, reflect-padded,
/// periodic Hann, power spectrum, Slaney mel bank), then <c>log10(10000 * mel.astype(float16) + 1)</c>
/// with NumPy 1.x promotion (see <see cref="Compress"/>). Output is frames x 96 float32, row-major.
/// Immutable and thread-safe; use <see cref="Instance"/>.
/// </summary>
public sealed class MusicnnFrontend
{
    public const int SampleRate = 16000;
    public const int NFft = 512;
    public const int HopLength = 256;
    public const int MelBands = 96;

    // Frames are processed in blocks so the intermediate power spectra stay small whatever the file length.
    private const int FramesPerBlock = 64;

    private static readonly Lazy<MusicnnFrontend> Shared = new(() => new MusicnnFrontend());

    private MusicnnFrontend()
    {
        Stft = new Stft(StftOptions.Librosa(NFft, HopLength));
        Filterbank = MelFilterbank.Slaney(SampleRate, NFft, MelBands);
    }

    public static MusicnnFrontend Instance => Shared.Value;

    public Stft Stft { get; }

    public MelFilterbank Filterbank { get; }

    /// <summary>Frames for <paramref name="sampleCount"/> samples: <c>1 + n / 256</c>, or 0 for an empty signal.</summary>
    public int FrameCount(long sampleCount) => Stft.FrameCount(sampleCount);

    /// <summary>Compressed log-mel features (frames x 96) of a whole 16 kHz waveform; empty for an empty waveform.</summary>
    public float[] LogMel(ReadOnlySpan<float> waveform16k)
    {
        int frames = FrameCount(waveform16k.Length);
        var result = new float[(long)frames * MelBands];
        LogMelFrames(waveform16k, 0, waveform16k.Length, 0, frames, result);
        return result;
    }

    /// <summary>The mel power spectrogram before compression (frames x 96), librosa's <c>melspectrogram(...).T</c>.</summary>
    public float[] MelPower(ReadOnlySpan<float> waveform16k)
    {
        int frames = FrameCount(waveform16k.Length);
        var result = new float[(long)frames * MelBands];
        MelPowerFrames(waveform16k, 0, waveform16k.Length, 0, frames, result);
        return result;
    }

    /// <summary>
    /// <c>np.log10(10000 * mel.astype(np.float16) + 1)</c> under NumPy 1.x: float16 times the Python int 10000
    /// is promoted to float32 (value-based casting), so float16 only rounds the mel value (to nearest even) and
    /// the multiply, add and log10 each round to float32. Reproduces musicnn's features bit for bit.
    /// </summary>
    public static float Compress(float mel) => CompressTable.Value[BitConverter.HalfToUInt16Bits((Half)mel)];

    /// <summary>The compression written out operation by operation, each rounded to float32.</summary>
    internal static float CompressDirect(Half halfRounded)
    {
        float scaled = 10000f * (float)halfRounded;
        float shifted = scaled + 1f;
        return MathF.Log10(shifted);
    }

    // The result depends only on the float16 value, so all 65,536 of them are computed once (256 KB):
    // the same bits as evaluating each time, at the cost of one conversion and one lookup.
    private static readonly Lazy<float[]> CompressTable = new(() =>
    {
        var table = new float[ushort.MaxValue + 1];
        for (int bits = 0; bits <= ushort.MaxValue; bits++)
            table[bits] = CompressDirect(BitConverter.UInt16BitsToHalf((ushort)bits));
        return table;
    });

    /// <summary>Compressed log-mel rows for frames firstFrame .. firstFrame + count - 1 (see <see cref="Stft.PowerFrames"/> for the buffer contract).</summary>
    internal void LogMelFrames(ReadOnlySpan<float> buffered, long bufferStart, long signalLength, int firstFrame, int count, Span<float> destination)
    {
        MelPowerFrames(buffered, bufferStart, signalLength, firstFrame, count, destination);
        var values = destination[..(count * MelBands)];
        for (int i = 0; i < values.Length; i++) values[i] = Compress(values[i]);
    }

    internal void MelPowerFrames(ReadOnlySpan<float> buffered, long bufferStart, long signalLength, int firstFrame, int count, Span<float> destination)
    {
        int bins = Stft.BinCount;
        int blockValues = Math.Min(count, FramesPerBlock) * bins;
        var power = ArrayPool<float>.Shared.Rent(Math.Max(blockValues, 1));
        try
        {
            for (int done = 0; done < count; done += FramesPerBlock)
            {
                int n = Math.Min(FramesPerBlock, count - done);
                Stft.PowerFrames(buffered, bufferStart, signalLength, firstFrame + done, n, power);
                Filterbank.Apply(power.AsSpan(0, n * bins), n, destination.Slice(done * MelBands, n * MelBands));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(power);
        }
    }
}
