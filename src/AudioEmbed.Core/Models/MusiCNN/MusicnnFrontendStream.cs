namespace AudioEmbed.Core.Models.MusiCNN;

/// <summary>
/// Incremental MusiCNN preprocessing: feed the 16 kHz mono waveform in blocks of any size with
/// <see cref="Push"/>, receive each 187 x 96 patch as soon as its frames are complete, and call
/// <see cref="Complete"/> at the end of the audio. The patches are bit-identical to
/// <see cref="MusicnnPatcher.FromWaveform"/> on the whole waveform (including the short-input and
/// empty-input rules), while memory stays bounded by one patch plus about one FFT window of samples.
/// Not thread-safe: one instance per audio stream. As a model's <see cref="Pipeline.IModelInputStream"/> (MusiCNN's
/// front end), <see cref="Accept"/> and <see cref="Finish"/> make the same patches ready for the shared runner.
/// </summary>
public sealed class MusicnnFrontendStream : Pipeline.IModelInputStream
{
    private readonly MusicnnFrontend _frontend = MusicnnFrontend.Instance;
    private float[] _samples = new float[8192]; // signal samples from absolute index _bufferStart
    private long _bufferStart;
    private int _buffered;
    private long _received;
    private int _nextFrame;
    private float[] _patch = new float[MusicnnPatcher.PatchValues];
    private int _patchFrames;
    private int _emitted;
    private bool _completed;
    private readonly List<float[]> _completedPatches = new();
    private int _taken;

    /// <summary>Samples received so far.</summary>
    public long SamplesReceived => _received;

    /// <summary>Capacity of the sample buffer (for tests: it must not grow with the audio's length).</summary>
    internal int BufferCapacity => _samples.Length;

    /// <summary>Patches handed out so far.</summary>
    public int PatchesEmitted => _emitted;

    /// <summary>
    /// Appends <paramref name="samples"/> and adds every patch that became complete to <paramref name="completed"/>
    /// (each a new 187 x 96 array). Returns how many were added.
    /// </summary>
    public int Push(ReadOnlySpan<float> samples, ICollection<float[]> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_completed) throw new InvalidOperationException("The stream was completed; start a new one for more audio.");
        Append(samples);

        // Frame t reads samples up to t*hop + pad - 1, and while centring at the start it reflects up to
        // index pad - t*hop; neither may reach past what has arrived, since the end is not known yet.
        var stft = _frontend.Stft;
        int ready = _nextFrame;
        while (true)
        {
            long start = stft.FrameStartSample(ready);
            long highest = Math.Max(start + stft.NFft - 1, -start);
            if (highest >= _received) break;
            ready++;
        }
        int before = _emitted;
        ComputeFrames(ready - _nextFrame, signalLength: long.MaxValue, completed);
        Trim();
        return _emitted - before;
    }

    /// <summary>
    /// Ends the audio: computes the last frames (reflecting at the now-known end), emits the last complete
    /// patch, or, when the whole audio was shorter than one patch, the single zero-padded patch; an incomplete
    /// remainder after full patches is dropped, as in musicnn. Returns how many patches were added.
    /// </summary>
    public int Complete(ICollection<float[]> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (_completed) return 0;
        _completed = true;
        int before = _emitted;
        int total = _frontend.FrameCount(_received);
        ComputeFrames(total - _nextFrame, signalLength: _received, completed);
        if (_emitted == 0 && _patchFrames > 0)
        {
            _patch.AsSpan(_patchFrames * MusicnnPatcher.MelBands).Clear(); // see MusicnnPatcher remarks
            Emit(completed);
        }
        _samples = Array.Empty<float>();
        return _emitted - before;
    }

    void Pipeline.IModelInputStream.Accept(ReadOnlySpan<float> samples) => Push(samples, _completedPatches);

    void Pipeline.IModelInputStream.Finish() => Complete(_completedPatches);

    bool Pipeline.IModelInputStream.TryTake(out Pipeline.ModelInput input)
    {
        if (_taken == _completedPatches.Count)
        {
            _completedPatches.Clear();
            _taken = 0;
            input = default;
            return false;
        }
        long start = (long)(_emitted - _completedPatches.Count + _taken) * PatchSamples;
        input = new Pipeline.ModelInput(_completedPatches[_taken++], PatchShape, start);
        return true;
    }

    private static readonly int[] PatchShape = { MusicnnPatcher.PatchFrames, MusicnnPatcher.MelBands };

    /// <summary>Samples from one patch's first frame to the next patch's (187 frames of hop 256: patches do not overlap).</summary>
    public static int PatchSamples => MusicnnPatcher.PatchFrames * MusicnnFrontend.Instance.Stft.HopLength;

    private void ComputeFrames(int count, long signalLength, ICollection<float[]> completed)
    {
        const int bands = MusicnnPatcher.MelBands;
        var buffered = _samples.AsSpan(0, _buffered);
        while (count > 0)
        {
            int n = Math.Min(count, MusicnnPatcher.PatchFrames - _patchFrames);
            _frontend.LogMelFrames(buffered, _bufferStart, signalLength, _nextFrame, n, _patch.AsSpan(_patchFrames * bands, n * bands));
            _nextFrame += n;
            _patchFrames += n;
            count -= n;
            if (_patchFrames == MusicnnPatcher.PatchFrames) Emit(completed);
        }
    }

    private void Emit(ICollection<float[]> completed)
    {
        completed.Add(_patch);
        _emitted++;
        _patch = new float[MusicnnPatcher.PatchValues];
        _patchFrames = 0;
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (_buffered + samples.Length > _samples.Length)
        {
            var grown = new float[Math.Max(_samples.Length * 2, _buffered + samples.Length)];
            _samples.AsSpan(0, _buffered).CopyTo(grown);
            _samples = grown;
        }
        samples.CopyTo(_samples.AsSpan(_buffered));
        _buffered += samples.Length;
        _received += samples.Length;
    }

    /// <summary>
    /// Drops samples no future frame can read. Reflection at the (later) end reaches back less than one
    /// FFT window before the first pending frame, so one window of history is kept.
    /// </summary>
    private void Trim()
    {
        long keepFrom = Math.Max(0, _frontend.Stft.FrameStartSample(_nextFrame) - _frontend.Stft.NFft);
        int drop = (int)Math.Min(keepFrom - _bufferStart, _buffered);
        if (drop <= 0 || drop < _samples.Length / 2) return; // shift only when it frees a good part of the buffer
        _samples.AsSpan(drop, _buffered - drop).CopyTo(_samples);
        _buffered -= drop;
        _bufferStart += drop;
    }
}
