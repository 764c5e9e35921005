namespace AudioEmbed.Core.Audio.Flac;

/// <summary>
/// The residual section of a FIXED or LPC subframe (RFC 9639 section 9.2.7): partitioned Rice codes with a
/// 4- or 5-bit parameter, where the all-ones parameter escapes to fixed-width signed values.
/// </summary>
internal static class FlacResidual
{
    /// <summary>Decodes residuals into <c>samples[order..blockSize)</c>, after the warm-up samples.</summary>
    public static void Read(FlacBitReader r, Span<long> samples, int order)
    {
        int blockSize = samples.Length;
        long at = r.ByteOffset;
        uint method = r.ReadBits(2);
        if (method > 1) throw r.Fail($"reserved residual coding method {method}", at);
        int parameterBits = method == 0 ? 4 : 5;
        uint escape = method == 0 ? 15u : 31u;
        int partitionOrder = (int)r.ReadBits(4);
        int partitions = 1 << partitionOrder;
        if ((blockSize & (partitions - 1)) != 0)
            throw r.Fail($"block size {blockSize} is not divisible into {partitions} residual partitions", at);
        int perPartition = blockSize >> partitionOrder;
        if (perPartition < order)
            throw r.Fail($"first residual partition ({perPartition} samples) is shorter than the predictor order {order}", at);

        int index = order;
        for (int p = 0; p < partitions; p++)
        {
            int count = p == 0 ? perPartition - order : perPartition;
            var dest = samples.Slice(index, count);
            uint parameter = r.ReadBits(parameterBits);
            if (parameter == escape)
            {
                int width = (int)r.ReadBits(5);
                if (width == 0) dest.Clear();
                else for (int i = 0; i < dest.Length; i++) dest[i] = r.ReadSigned(width);
            }
            else
            {
                r.ReadRice(dest, (int)parameter);
            }
            index += count;
        }
    }
}
