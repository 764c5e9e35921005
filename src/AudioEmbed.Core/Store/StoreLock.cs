namespace AudioEmbed.Core.Store;

/// <summary>
/// An exclusive lock between processes, held as an open file with no sharing: two installs of the same
/// model (two scheduled tasks, two shells) run one after the other and end with one good copy.
/// The OS releases it if the process dies. The file is left in place: deleting it on close would let a
/// waiter lock an unlinked copy while a newcomer locks a fresh one.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _stream;

    private StoreLock(FileStream stream) => _stream = stream;

    public static StoreLock Acquire(string path, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException)
            {
                ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200)); // another process is installing
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
