using AudioEmbed.Core.Audio;

namespace AudioEmbed.Core.Pipeline;

/// <summary>
/// One decoded mono stream read by several consumers (one resampler per distinct recipe), each at its own pace:
/// the tee decodes a block once, keeps it until every branch has read past it, then drops it. Memory is bounded
/// by how far the branches drift apart, which <see cref="MultiModelEmbedder"/> keeps to about one block by always
/// advancing the branch that is furthest behind.
/// </summary>
internal sealed class MonoTee
{
    private const int DecodeBlock = 16384;
    private readonly IAudioSource _mono;
    private readonly List<float[]> _blocks = new();   // decoded, not yet read by every branch
    private readonly List<int> _lengths = new();
    private readonly List<Branch> _branches = new();
    private long _first;   // frame index of _blocks[0]
    private long _end;     // frames decoded so far
    private bool _ended;

    public MonoTee(IAudioSource mono)
    {
        if (mono.Channels != 1) throw new ArgumentException("the tee takes mono audio", nameof(mono));
        _mono = mono;
    }

    /// <summary>Frames decoded so far (all of them once every branch has read to the end).</summary>
    public long FramesDecoded => _end;

    /// <summary>Frames decoded and kept because some branch has not read them yet (what the tee costs in memory).</summary>
    public long HeldFrames => _end - _first;

    /// <summary>A new reader from the stream's start (create all branches before reading any).</summary>
    public Branch AddBranch()
    {
        if (_end > 0) throw new InvalidOperationException("branches must be added before the first read");
        var branch = new Branch(this);
        _branches.Add(branch);
        return branch;
    }

    /// <summary>A branch that will read no more (its models all failed): it no longer holds blocks back.</summary>
    public void Detach(Branch branch)
    {
        _branches.Remove(branch);
        if (_branches.Count > 0) DropReadBlocks();
        else { _blocks.Clear(); _lengths.Clear(); _first = _end; }
    }

    private int Read(Branch branch, Span<float> destination)
    {
        while (branch.Position >= _end && !_ended) DecodeMore();
        int written = 0;
        long position = branch.Position;
        long blockStart = _first;
        for (int i = 0; i < _blocks.Count && written < destination.Length; i++)
        {
            long blockEnd = blockStart + _lengths[i];
            if (position < blockEnd)
            {
                int offset = (int)(position - blockStart);
                int n = Math.Min(_lengths[i] - offset, destination.Length - written);
                _blocks[i].AsSpan(offset, n).CopyTo(destination[written..]);
                written += n;
                position += n;
            }
            blockStart = blockEnd;
        }
        branch.Position = position;
        DropReadBlocks();
        return written;
    }

    private void DecodeMore()
    {
        // Filled whole (decoders hand out small pieces: an MP3 frame is 1,152 samples), so a block costs what it holds.
        var block = new float[DecodeBlock];
        int n = 0, read;
        while (n < block.Length && (read = _mono.Read(block.AsSpan(n))) > 0) n += read;
        if (n == 0) { _ended = true; return; }
        _blocks.Add(block);
        _lengths.Add(n);
        _end += n;
    }

    private void DropReadBlocks()
    {
        long slowest = _branches.Min(b => b.Position);
        while (_blocks.Count > 0 && _first + _lengths[0] <= slowest)
        {
            _first += _lengths[0];
            _blocks.RemoveAt(0);
            _lengths.RemoveAt(0);
        }
    }

    /// <summary>One consumer's view: a mono source at the native rate, starting at frame 0.</summary>
    internal sealed class Branch : IAudioSource
    {
        private readonly MonoTee _tee;

        internal Branch(MonoTee tee) => _tee = tee;

        /// <summary>Frames this branch has read.</summary>
        public long Position { get; internal set; }

        public int SampleRate => _tee._mono.SampleRate;

        public int Channels => 1;

        public long? TotalFrames => _tee._mono.TotalFrames;

        public int Read(Span<float> interleaved) => _tee.Read(this, interleaved);

        public void Dispose() { } // the tee's owner disposes the decoded file
    }
}
