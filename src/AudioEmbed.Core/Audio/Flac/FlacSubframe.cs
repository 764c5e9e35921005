namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// Decodes one subframe (RFC 9639 section 9.2): CONSTANT, VERBATIM, FIXED or LPC, with optional wasted
/// bits, into one channel's samples at the subframe's own bit depth.
/// </summary>
internal sealed class FlacSubframe
{
    private const int MaxLpcOrder = 32;
    private readonly long[] _coefs = new long[MaxLpcOrder];

    /// <param name="samples">Exactly one block of the channel's samples.</param>
    /// <param name="bits">Sample bit depth of this subframe (frame depth, plus one for a side channel).</param>
    public void Decode(FlacBitReader r, Span<long> samples, int bits)
    {
        long at = r.ByteOffset;
        if (r.ReadBits(1) != 0) throw r.Fail("subframe padding bit is set", at);
        int type = (int)r.ReadBits(6);
        int wasted = 0;
        if (r.ReadBits(1) == 1)
        {
            wasted = (int)r.ReadUnary((uint)bits) + 1;
            if (wasted >= bits) throw r.Fail($"subframe claims {wasted} wasted bits of a {bits}-bit sample", at);
        }
        bits -= wasted;

        if (type == 0)
        {
            samples.Fill(r.ReadSigned(bits));
        }
        else if (type == 1)
        {
            for (int i = 0; i < samples.Length; i++) samples[i] = r.ReadSigned(bits);
        }
        else if (type is >= 8 and <= 12)
        {
            int order = type - 8;
            ReadWarmUp(r, samples, order, bits, at);
            FlacResidual.Read(r, samples, order);
            FlacPrediction.Fixed(samples, order);
        }
        else if (type >= 32)
        {
            int order = type - 31;
            ReadWarmUp(r, samples, order, bits, at);
            int precision = (int)r.ReadBits(4) + 1;
            if (precision == 16) throw r.Fail("invalid LPC coefficient precision code 15", at);
            int shift = (int)r.ReadSigned(5);
            if (shift < 0) throw r.Fail($"negative LPC shift {shift}", at);
            // Stored newest-tap-first in the stream; kept oldest-first for the forward inner loop.
            var coefs = _coefs.AsSpan(0, order);
            for (int j = order - 1; j >= 0; j--) coefs[j] = r.ReadSigned(precision);
            FlacResidual.Read(r, samples, order);
            FlacPrediction.Lpc(samples, coefs, shift);
        }
        else
        {
            throw r.Fail($"reserved subframe type {type}", at);
        }

        if (wasted > 0)
            for (int i = 0; i < samples.Length; i++) samples[i] <<= wasted;
    }

    private static void ReadWarmUp(FlacBitReader r, Span<long> samples, int order, int bits, long at)
    {
        if (order > samples.Length) throw r.Fail($"predictor order {order} exceeds the block size {samples.Length}", at);
        for (int i = 0; i < order; i++) samples[i] = r.ReadSigned(bits);
    }
}
