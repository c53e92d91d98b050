using System.Collections.Concurrent;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Lets this process's saves into one SQLite file take its write lock one at a time, in arrival order. SQLite has one
/// writer at a time; a writer that finds the lock taken sleeps in its busy handler (1, 2, 5, 10 … 100 ms) and tries
/// again, so with dozens of concurrent saves most of a save's time was spent asleep while the lock stood free
/// (BENCHMARKS.md, send). Here a waiting save is woken the moment the one before it finishes. Writers outside the
/// gate (the dispatcher's claim, the importer, other processes) still meet SQLite's own lock and busy handler, so the
/// gate changes only who waits where, never what is written.
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable?> EnterAsync(string dataSource, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(dataSource, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
