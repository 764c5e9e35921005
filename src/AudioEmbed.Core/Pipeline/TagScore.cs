namespace AudioEmbed.Core.Pipeline;

/// <summary>A tag and its likelihood averaged over the song's taggram.</summary>
public sealed record TagScore(string Tag, float Score)
{
    public override string ToString() => $"{Tag} ({Score:0.000})";
}
