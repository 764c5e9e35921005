namespace AudioEmbed.Core.Library;

/// <summary>One result of Find-SimilarAudio: a library song, its rank and cosine score against the query.</summary>
public sealed class SimilarAudio
{
    public int Rank { get; init; }
    /// <summary>Song name (the embedding file's base name).</summary>
    public string Name { get; init; } = "";
    /// <summary>Cosine similarity (several models: of the weighted concatenation of their unit vectors).</summary>
    public double Score { get; init; }
    /// <summary>The audio file the embedding came from (manifest.jsonl); empty for files written without one.</summary>
    public string AudioPath { get; init; } = "";
    /// <summary>The first model's embedding file.</summary>
    public string EmbeddingPath { get; init; } = "";
    /// <summary>The query's song name (or "(vector)").</summary>
    public string Query { get; init; } = "";
    /// <summary>The model(s) searched, joined with '+'.</summary>
    public string Model { get; init; } = "";
}
