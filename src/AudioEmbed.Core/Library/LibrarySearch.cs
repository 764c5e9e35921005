namespace AudioEmbed.Core.Library;

/// <summary>
/// Nearest songs in one or several models' libraries. One model: exact cosine top-N over its mapped matrix. Several:
/// the songs every library holds (joined on their path below the configuration folder), each model's unit vector
/// scaled by its weight and the pieces concatenated — the Python guide's np.concatenate of the three models, with
/// each model normalised first so the widest one does not drown the others. The cosine of two such concatenations
/// is Σ w²·cos_m / Σ w², which is what is computed, model by model, without building the joint matrix.
/// </summary>
public static class LibrarySearch
{
    /// <param name="queries">One vector per library, any length-scale (normalised here).</param>
    /// <param name="isQuery">True for a library entry that is the query song itself (left out of the results).</param>
    public static List<SimilarAudio> Find(IReadOnlyList<EmbeddingLibrary> libraries, IReadOnlyList<float[]> queries, IReadOnlyList<double>? weights,
        int top, Func<LibraryEntry, bool> isQuery, string queryName, out int missingFromSome)
    {
        if (libraries.Count == 0 || libraries.Count != queries.Count) throw new ArgumentException("one query vector per library is needed");
        for (int m = 0; m < libraries.Count; m++)
            if (queries[m].Length != libraries[m].Dimension)
                throw new ArgumentException($"The query's {libraries[m].Wanted.Family.Name} vector has {queries[m].Length} values; the library '{libraries[m].ConfigurationDirectory}' ({libraries[m].Wanted.Configuration}) holds {libraries[m].Dimension}-value vectors.");
        string modelName = string.Join("+", libraries.Select(l => l.Wanted.Family.Name));
        var normalized = queries.Select(q => VectorMath.Normalized(q)).ToArray();

        if (libraries.Count == 1)
        {
            missingFromSome = 0;
            var lib = libraries[0];
            var excluded = new HashSet<int>();
            for (int i = 0; i < lib.Entries.Count; i++) if (isQuery(lib.Entries[i])) excluded.Add(i);
            return ExactSearch.Top(lib.Matrix, normalized[0], top, excluded)
                .Select((hit, rank) => Result(lib.Entries[hit.Row], rank + 1, hit.Score, queryName, modelName)).ToList();
        }

        // Songs held by every library, in the first library's order.
        var rowsByKey = libraries.Select(l => l.Entries.Select((e, i) => (e.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal)).ToArray();
        var joint = new List<int[]>();
        foreach (var (entry, row) in libraries[0].Entries.Select((e, i) => (e, i)))
        {
            var rows = new int[libraries.Count];
            rows[0] = row;
            bool everywhere = true;
            for (int m = 1; m < libraries.Count && everywhere; m++) everywhere = rowsByKey[m].TryGetValue(entry.Key, out rows[m]);
            if (everywhere) joint.Add(rows);
        }
        missingFromSome = rowsByKey.SelectMany(d => d.Keys).Distinct().Count() - joint.Count;

        var w2 = Enumerable.Range(0, libraries.Count).Select(m => weights is { Count: > 0 } ? weights[m] * weights[m] : 1.0).ToArray();
        double total = w2.Sum();
        var excludedJoint = new HashSet<int>();
        for (int j = 0; j < joint.Count; j++)
            for (int m = 0; m < libraries.Count; m++)
                if (isQuery(libraries[m].Entries[joint[j][m]])) { excludedJoint.Add(j); break; }

        // Every song's combined score from each model's prefilter (approximate, within a known margin), then the
        // songs that can still be in the answer combined again from exact scores: the float32 scan's answer.
        var margins = new double[libraries.Count];
        var perModel = libraries.Select((l, m) => ExactSearch.AllScores(l.Matrix, normalized[m], out margins[m])).ToArray();
        double combinedMargin = Enumerable.Range(0, libraries.Count).Sum(m => w2[m] / total * margins[m]);
        if (combinedMargin > 0) combinedMargin += 2 * Math.Pow(2, -24) * 1.01 + 1e-12; // the two roundings to float of |score| ≤ 1
        var approximate = new float[joint.Count];
        for (int j = 0; j < joint.Count; j++) approximate[j] = Combine(j, m => perModel[m][joint[j][m]]);
        var best = ExactSearch.Top(approximate, top, excludedJoint);
        float cutoff = best.Length < top ? float.NegativeInfinity : ExactSearch.CutoffBelow(best[^1].Score, 2 * combinedMargin);
        var rescored = new List<(int Joint, float Score)>();
        for (int j = 0; j < joint.Count; j++)
            if (approximate[j] >= cutoff && !excludedJoint.Contains(j))
                rescored.Add((j, combinedMargin == 0 ? approximate[j] : Combine(j, m => ExactSearch.ExactScore(libraries[m].Matrix, joint[j][m], normalized[m]))));
        var scores = rescored.Select(r => r.Score).ToArray();
        return ExactSearch.Top(scores, top)
            .Select((hit, rank) => Result(libraries[0].Entries[joint[rescored[hit.Row].Joint][0]], rank + 1, hit.Score, queryName, modelName)).ToList();

        float Combine(int j, Func<int, float> score)
        {
            double s = 0;
            for (int m = 0; m < libraries.Count; m++) s += w2[m] * score(m);
            return (float)(s / total);
        }
    }

    private static SimilarAudio Result(LibraryEntry e, int rank, float score, string query, string model) => new()
    {
        Rank = rank,
        Name = e.Song,
        Score = score,
        AudioPath = e.AudioPath,
        EmbeddingPath = e.EmbeddingPath,
        Query = query,
        Model = model,
    };
}
