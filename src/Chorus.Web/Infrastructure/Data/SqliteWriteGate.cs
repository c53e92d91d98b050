using System.Collections.Concurrent;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Lets this process's saves into one SQLite file take its write lock one at a time, in arrival order. SQLite has one
/// writer at a time; a writer that finds the lock taken sleeps in its busy handler (1, 2, 5, 10 … 100 ms) and tries
/// again, so with dozens of concurrent saves most of a save's time was spent asleep while the lock stood free
/// (BENCHMARKS.md, send). Here a waiting save is woken the moment the one before it finishes. Writers outside the
/// gate (the dispatcher's claim, other processes) still meet SQLite's own lock and busy handler, so the
/// gate changes only who waits where, never what is written. An import holds the gate for each batch and lets it go
/// early when a save is waiting (<see cref="HasWaiters"/>).
/// </summary>
internal static class SqliteWriteGate
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    /// <summary>
    /// Waits for this file's write turn. <paramref name="urgent"/> (a save) counts in <see cref="HasWaiters"/>; the
    /// checkpointer's housekeeping does not, or an import would commit early every time the log grew.
    /// </summary>
    public static async Task<IDisposable?> EnterAsync(string dataSource, CancellationToken ct, bool urgent = true)
    {
        var gate = Gates.GetOrAdd(dataSource, static _ => new Gate());
        if (urgent)
        {
            Interlocked.Increment(ref gate.Waiting);
        }

        try
        {
            await gate.Turn.WaitAsync(ct);
        }
        finally
        {
            if (urgent)
            {
                Interlocked.Decrement(ref gate.Waiting);
            }
        }

        return new Held(gate.Turn);
    }

    /// <summary>Whether a save is queued for this file's write lock: a long writer holding it should let it go soon.</summary>
    public static bool HasWaiters(string dataSource) => Gates.TryGetValue(dataSource, out var gate) && Volatile.Read(ref gate.Waiting) > 0;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "One per database file, kept for the life of the process.")]
    private sealed class Gate
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Waiting;
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
