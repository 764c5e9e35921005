namespace AudioEmbed.Core.Models.MusiCNN;

public static partial class MusicnnPatcher
{
    /// <summary>
    /// <see cref="Count"/> patches of 187 x 96 float32 in one contiguous row-major block (<see cref="Data"/>),
    /// laid out as the ONNX input tensor (Count, 187, 96, 1) expects.
    /// </summary>
    public sealed class Batch
    {
        public Batch(float[] data, int count)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (count < 0 || data.Length != (long)count * PatchValues)
                throw new ArgumentException($"{count} patches need {(long)count * PatchValues} values, got {data.Length}.");
            Data = data;
            Count = count;
        }

        public float[] Data { get; }

        public int Count { get; }

        /// <summary>Tensor shape for the model input: (Count, 187, 96, 1).</summary>
        public int[] TensorShape => new[] { Count, PatchFrames, MelBands, 1 };

        /// <summary>Patch <paramref name="index"/> as 187 x 96 values.</summary>
        public ReadOnlySpan<float> this[int index]
        {
            get
            {
                if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"There are {Count} patches.");
                return Data.AsSpan(index * PatchValues, PatchValues);
            }
        }
    }
}
