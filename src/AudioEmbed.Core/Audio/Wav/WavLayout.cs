namespace AudioEmbed.Core.Audio.Wav;

/// <summary>What a container header parser found: the sample format and where the sample bytes are.</summary>
/// <param name="Container">"RIFF", "RF64", "BW64", "AIFF" or "AIFC".</param>
/// <param name="DataOffset">Byte offset of the first sample from the start of the file.</param>
/// <param name="DataLength">Sample bytes the header declares; null when it does not know (a streamed file: read to the end).</param>
internal sealed record WavLayout(string Container, WavSampleFormat Format, long DataOffset, long? DataLength);
