using System.Numerics;

namespace AudioEmbed.Core.Audio.Alac;

/// <summary>
/// ALAC's adaptive Golomb-Rice residual coding: the Rice parameter follows a running mean ("history") of recent
/// magnitudes, and when the mean falls low a run of zeros is coded as one count.
/// </summary>
internal static class AlacRice
{
    /// <summary>Decodes <paramref name="output"/>.Length signed residuals; <paramref name="escapeBits"/> is the raw width after 9 prefix ones.</summary>
    public static void Decode(AlacBitReader bits, Span<int> output, int escapeBits, int historyMult, int initialHistory, int riceLimit)
    {
        uint history = (uint)initialHistory;
        uint signModifier = 0;
        int n = output.Length;
        for (int i = 0; i < n; i++)
        {
            int k = Math.Min(Log2((history >> 9) + 3), riceLimit);
            uint x = Scalar(bits, k, escapeBits) + signModifier;
            signModifier = 0;
            output[i] = (int)(x >> 1) ^ -(int)(x & 1);

            history = x > 0xFFFF ? 0xFFFF : history + x * (uint)historyMult - ((history * (uint)historyMult) >> 9);

            // A low mean announces a run of zeros after this sample, coded as one count.
            if (history < 128 && i + 1 < n)
            {
                int kz = Math.Min(7 - Log2(history) + (int)((history + 16) >> 6), riceLimit);
                uint block = Scalar(bits, kz, 16);
                if (block > 0)
                {
                    if (block >= n - i) block = (uint)(n - i - 1); // a count past the frame end is cut to it
                    output.Slice(i + 1, (int)block).Clear();
                    i += (int)block;
                }
                if (block <= 0xFFFF) signModifier = 1;
                history = 0;
            }
            if (bits.Overrun) throw new InvalidDataException("the residuals run past the end of the packet");
        }
    }

    /// <summary>One value: a unary prefix q (up to 8) then k bits as q·(2^k−1) + v−1, where v below 2 is one bit shorter; 9 ones escape to a raw value.</summary>
    private static uint Scalar(AlacBitReader bits, int k, int escapeBits)
    {
        int q = bits.UnaryOnes(9);
        if (q > 8) return bits.Read(escapeBits);
        if (k <= 1) return (uint)q;
        uint x = ((uint)q << k) - (uint)q;
        uint extra = bits.Peek32() >> (32 - k);
        if (extra > 1)
        {
            bits.Skip(k);
            return x + extra - 1;
        }
        bits.Skip(k - 1);
        return x;
    }

    /// <summary>floor(log2(v)), 0 for 0 (as the reference decoders compute it).</summary>
    private static int Log2(uint v) => v == 0 ? 0 : BitOperations.Log2(v);
}
