using System.Diagnostics;

namespace AudioEmbed.Bench;

/// <summary>Collects named figures and prints them as one table at the end.</summary>
internal sealed class Report
{
    private readonly List<(string Name, string Value, string Note)> _rows = new();

    public void Add(string name, string value, string note = "") => _rows.Add((name, value, note));

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"AudioEmbed benchmarks — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}");
        int w = _rows.Max(r => r.Name.Length);
        foreach (var (name, value, note) in _rows)
            Console.WriteLine($"  {name.PadRight(w)}  {value,14}  {note}");
    }

    /// <summary>Best of <paramref name="repeats"/> timings after one warm-up: the least disturbed run on a shared machine.</summary>
    public static TimeSpan Best(int repeats, Action action)
    {
        action();
        var best = TimeSpan.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            if (sw.Elapsed < best) best = sw.Elapsed;
        }
        return best;
    }
}
