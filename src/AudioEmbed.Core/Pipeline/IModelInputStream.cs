namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// A model family's front end for one file, as sherpa-onnx's AcceptWaveform / InputFinished and kaldi-native-fbank's
/// online features: mono samples at the family's rate go in block by block, model inputs come out as soon as they
/// are complete. Chunking, feature computation and normalisation are the family's; the loop, batching,
/// cancellation and the session gate are the shared <see cref="ModelRunner"/>'s. Not thread-safe: one per file.
/// </summary>
internal interface IModelInputStream
{
    /// <summary>Appends samples (the span is only valid during the call).</summary>
    void Accept(ReadOnlySpan<float> samples);

    /// <summary>Ends the audio: whatever the family's end-of-stream rule keeps becomes ready.</summary>
    void Finish();

    /// <summary>The next ready input, in order.</summary>
    bool TryTake(out ModelInput input);
}
