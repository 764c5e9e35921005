using AudioEmbed.Core.Output;

namespace AudioEmbed.Tests.Output;

/// <summary>Guards against a failed or interrupted write leaving a truncated file or damaging the previous one.</summary>
public class AtomicFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("audioembed-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void FailureMidWrite_LeavesThePreviousFileIntact_AndNoTemporaryFile()
    {
        var target = Path.Combine(_dir, "song.npy");
        Assert.True(AtomicFileWriter.Write(target, s => s.Write(new byte[] { 1, 2, 3 }), overwrite: true));

        // Injected failure: the disk "fills up" after some bytes were written.
        var ex = Assert.Throws<IOException>(() => AtomicFileWriter.Write(target, s =>
        {
            s.Write(new byte[1000]);
            throw new IOException("No space left on device (injected)");
        }, overwrite: true));
        Assert.Contains("injected", ex.Message);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(target));
        Assert.Equal(new[] { "song.npy" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void NoOverwrite_KeepsTheExistingFile()
    {
        var target = Path.Combine(_dir, "a.npy");
        Assert.True(AtomicFileWriter.Write(target, s => s.WriteByte(1), overwrite: false));
        Assert.False(AtomicFileWriter.Write(target, s => s.WriteByte(2), overwrite: false));
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(target));
    }

    [Fact]
    public void ReadersNeverSeeAPartialFile()
    {
        var target = Path.Combine(_dir, "big.npy");
        var values = Enumerable.Range(0, 200_000).Select(i => (float)i).ToArray();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            int seen = 0;
            while (!stop.IsCancellationRequested)
            {
                if (!File.Exists(target)) continue;
                try { Assert.Equal(200_000, NpyReader.Read(target).Count); seen++; }
                catch (FileNotFoundException) { } // replaced between the check and the open
            }
            return seen;
        });
        for (int i = 0; i < 20; i++)
            AtomicFileWriter.Write(target, s => NpyWriter.Write(s, values, new[] { values.Length }), overwrite: true);
        stop.Cancel();
        _ = reader.Result; // rethrows the reader's failed assertion, if any
    }
}
