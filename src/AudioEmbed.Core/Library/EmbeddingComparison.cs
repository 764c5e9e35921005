namespace AudioEmbed.Core.Library;

/// <summary>One song present in both folders: how far the new embedding is from the old one.</summary>
public sealed class EmbeddingComparison
{
    public string Name { get; init; } = "";
    /// <summary>The song's path below the configuration folder, '/'-separated (what pairs the two files).</summary>
    public string Key { get; init; } = "";
    public string Model { get; init; } = "";
    /// <summary>Cosine of the two whole arrays (a sequence compared row for row, flattened); NaN when they cannot be compared.</summary>
    public double Cosine { get; init; } = double.NaN;
    /// <summary>Largest absolute element-wise difference; NaN when the shapes differ.</summary>
    public double MaxAbsDifference { get; init; } = double.NaN;
    /// <summary>Same, ShapeMismatch or Unreadable.</summary>
    public string Status { get; init; } = "";
    public string ReferenceShape { get; init; } = "";
    public string DifferenceShape { get; init; } = "";
    public string ReferencePath { get; init; } = "";
    public string DifferencePath { get; init; } = "";
    /// <summary>Why the pair could not be compared, when Status is not Same.</summary>
    public string? Problem { get; init; }
}

/// <summary>The migration check's verdict for one model: how many songs compared, the worst and median cosine, what is missing where.</summary>
public sealed class EmbeddingComparisonSummary
{
    public string Model { get; init; } = "";
    public string Configuration { get; init; } = "";
    public string ReferenceDirectory { get; init; } = "";
    public string DifferenceDirectory { get; init; } = "";
    /// <summary>Songs present in both folders with arrays of one shape.</summary>
    public int Compared { get; init; }
    public double MinCosine { get; init; } = double.NaN;
    public double MedianCosine { get; init; } = double.NaN;
    public double MaxAbsDifference { get; init; } = double.NaN;
    /// <summary>The song with the lowest cosine.</summary>
    public string WorstSong { get; init; } = "";
    public int ShapeMismatches { get; init; }
    public int Unreadable { get; init; }
    public int MissingInReference => MissingInReferenceSongs.Count;
    public int MissingInDifference => MissingInDifferenceSongs.Count;
    /// <summary>Songs only in the new folder.</summary>
    public IReadOnlyList<string> MissingInReferenceSongs { get; init; } = Array.Empty<string>();
    /// <summary>Songs only in the old folder.</summary>
    public IReadOnlyList<string> MissingInDifferenceSongs { get; init; } = Array.Empty<string>();
}
