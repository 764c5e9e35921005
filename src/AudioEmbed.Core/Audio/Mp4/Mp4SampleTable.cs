namespace AudioEmbed.Core.Audio.Mp4;

/// <summary>
/// Where each sample (access unit) of a track lies: sizes (stsz/stz2), chunk offsets (stco/co64), samples per chunk
/// (stsc) and durations (stts). Every array here was sized by a count checked against its box's bytes, so the table
/// never holds more entries than the file has bytes.
/// </summary>
internal sealed class Mp4SampleTable
{
    public required int SampleCount { get; init; }

    /// <summary>The one size of every sample, or 0 when <see cref="Sizes"/> gives them.</summary>
    public required uint ConstantSize { get; init; }

    public required uint[] Sizes { get; init; }

    public required long[] ChunkOffsets { get; init; }

    /// <summary>stsc runs: from chunk <c>FirstChunk</c> (1-based) on, <c>SamplesPerChunk</c> samples per chunk.</summary>
    public required (uint FirstChunk, uint SamplesPerChunk)[] Chunks { get; init; }

    /// <summary>stts runs: <c>Count</c> samples of <c>Delta</c> media-timescale units each.</summary>
    public required (uint Count, uint Delta)[] Durations { get; init; }

    public uint Size(int sample) => ConstantSize != 0 ? ConstantSize : Sizes[sample];

    /// <summary>Sum of the stts durations (media timescale units).</summary>
    public long TotalDuration()
    {
        long total = 0;
        foreach (var (count, delta) in Durations) total += (long)count * delta;
        return total;
    }

    /// <summary>Visits the samples in decode order, giving each one's file offset and size.</summary>
    public Cursor Start() => new(this);

    /// <summary>Walks chunk by chunk: one stsc run at a time, the offset advancing by each sample's size inside a chunk.</summary>
    internal sealed class Cursor
    {
        private readonly Mp4SampleTable _t;
        private int _sample;
        private int _chunk = -1;      // 0-based chunk index
        private int _run = -1;        // current stsc entry
        private uint _leftInChunk;
        private long _offset;

        public Cursor(Mp4SampleTable table) => _t = table;

        public int Sample => _sample;

        /// <summary>The next sample's offset and size; false at the end of the table (or of the chunks it describes).</summary>
        public bool Next(out long offset, out uint size)
        {
            offset = 0;
            size = 0;
            if (_sample >= _t.SampleCount) return false;
            while (_leftInChunk == 0)
            {
                _chunk++;
                if (_chunk >= _t.ChunkOffsets.Length) return false;
                while (_run + 1 < _t.Chunks.Length && _t.Chunks[_run + 1].FirstChunk <= (uint)_chunk + 1) _run++;
                if (_run < 0) return false; // no stsc entry covers the first chunk
                _leftInChunk = _t.Chunks[_run].SamplesPerChunk;
                _offset = _t.ChunkOffsets[_chunk];
            }
            offset = _offset;
            size = _t.Size(_sample);
            _offset += size;
            _leftInChunk--;
            _sample++;
            return true;
        }
    }
}
