namespace AudioEmbed.Core.Library;

/// <summary>
/// The N best (row, score) pairs seen so far: a bounded min-heap, so a scan over a million rows keeps N entries and
/// replaces the weakest in O(log N). Ties go to the lower row, so results do not depend on how rows were split
/// between threads.
/// </summary>
internal sealed class TopN
{
    private readonly int[] _rows;
    private readonly float[] _scores;
    private int _count;

    public TopN(int capacity)
    {
        _rows = new int[Math.Max(1, capacity)];
        _scores = new float[_rows.Length];
    }

    public int Count => _count;

    /// <summary>The weakest kept score, or -infinity while the heap has room: a row must beat it to get in.</summary>
    public float Threshold => _count < _rows.Length ? float.NegativeInfinity : _scores[0];

    public void Offer(int row, float score)
    {
        if (float.IsNaN(score)) return;
        if (_count < _rows.Length)
        {
            int i = _count++;
            _rows[i] = row; _scores[i] = score;
            SiftUp(i);
        }
        else if (Better(row, score, _rows[0], _scores[0]))
        {
            _rows[0] = row; _scores[0] = score;
            SiftDown(0);
        }
    }

    public void Merge(TopN other)
    {
        for (int i = 0; i < other._count; i++) Offer(other._rows[i], other._scores[i]);
    }

    /// <summary>The kept pairs, best first.</summary>
    public (int Row, float Score)[] Sorted()
    {
        var result = new (int Row, float Score)[_count];
        for (int i = 0; i < _count; i++) result[i] = (_rows[i], _scores[i]);
        Array.Sort(result, (a, b) => Better(a.Row, a.Score, b.Row, b.Score) ? -1 : Better(b.Row, b.Score, a.Row, a.Score) ? 1 : 0);
        return result;
    }

    private static bool Better(int rowA, float a, int rowB, float b) => a > b || (a == b && rowA < rowB);

    // Min-heap on "better": the root is the worst kept pair.
    private void SiftUp(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(_rows[parent], _scores[parent], _rows[i], _scores[i])) break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < _count && Better(_rows[worst], _scores[worst], _rows[l], _scores[l])) worst = l;
            if (r < _count && Better(_rows[worst], _scores[worst], _rows[r], _scores[r])) worst = r;
            if (worst == i) return;
            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_rows[a], _rows[b]) = (_rows[b], _rows[a]);
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
    }
}
