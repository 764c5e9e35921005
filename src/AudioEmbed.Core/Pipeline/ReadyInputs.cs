namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// The queue of completed inputs an <see cref="IModelInputStream"/> hands out with TryTake, and the arrays they are
/// made in: the runner gives each input's array back once its run is done (<see cref="ModelInput.Release"/>), so a
/// long file reuses a few chunk buffers instead of allocating one per chunk.
/// </summary>
internal sealed class ReadyInputs
{
    private readonly Queue<ModelInput> _ready = new();
    private readonly Stack<float[]> _free = new();

    /// <summary>Inputs made ready so far (taken or not).</summary>
    public int Count { get; private set; }

    /// <summary>An array of exactly <paramref name="length"/> values (a returned one when it fits; contents undefined).</summary>
    public float[] Rent(int length)
    {
        while (_free.TryPop(out var array))
            if (array.Length == length) return array;
        return new float[length];
    }

    /// <param name="startSample">Where the input begins, in samples at the model's rate.</param>
    public void Add(float[] values, long startSample, params int[] shape)
    {
        _ready.Enqueue(new ModelInput(values, shape, startSample, this));
        Count++;
    }

    public bool TryTake(out ModelInput input) => _ready.TryDequeue(out input);

    /// <summary>Takes back an array whose input has run.</summary>
    public void Return(float[] values)
    {
        if (_free.Count < 8) _free.Push(values);
    }
}
