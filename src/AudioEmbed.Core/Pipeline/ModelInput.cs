namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// One item of a model's input, ready to run: a chunk of samples, a feature matrix, a patch. <see cref="Shape"/> is
/// the item's shape without the batch axis; items of equal shape are batched together by the <see cref="ModelRunner"/>,
/// which calls <see cref="Release"/> once the item has run (its array may then be reused by the stream that made it).
/// </summary>
/// <param name="StartSample">Where the input begins in the stream, in samples at the model's rate (for frame times).</param>
internal readonly record struct ModelInput(float[] Values, int[] Shape, long StartSample = 0, ReadyInputs? Owner = null)
{
    public bool SameShape(ModelInput other) => Shape.AsSpan().SequenceEqual(other.Shape);

    public void Release() => Owner?.Return(Values);
}
