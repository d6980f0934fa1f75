using System.Text;

namespace Baton.Durable.Storage.Sqlite;

/// <summary>
/// An exclusive OS lock on <c>&lt;db&gt;.lock</c> for as long as the store is open (ENGINE.md §3.8). It is what makes
/// "every lease in the file belongs to a dead process" true at open, and it stops a second host from running the same
/// orchestrations. .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/> on Unix and a share-mode lock on
/// Windows; both are released by the OS if the process dies.
/// </summary>
internal sealed class SqliteFileLock : IDisposable
{
    readonly FileStream stream;

    SqliteFileLock(FileStream stream) => this.stream = stream;

    public static SqliteFileLock Acquire(string databasePath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(databasePath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StoreInUseException(databasePath, e);
        }
        // The holder's process id, for whoever wonders who holds the lock.
        stream.SetLength(0);
        stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        stream.Flush();
        return new SqliteFileLock(stream);
    }

    public void Dispose() => stream.Dispose();
}
