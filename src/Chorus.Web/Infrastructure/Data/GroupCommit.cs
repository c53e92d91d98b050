using System.Collections.Concurrent;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Group commit: items that arrive while a batch is being saved wait in a queue, and the next save takes as many as
/// fit one batch. No background service drives it: whoever finds the queue idle drains it, so an item that arrives
/// alone is saved alone at once. One batch is saved at a time. Used where many concurrent requests each write a little
/// and one transaction per request would queue them at the database's write lock (inbound texts, Sends).
/// </summary>
/// <typeparam name="TItem">What is saved.</typeparam>
/// <typeparam name="TResult">What each item's caller gets back once it is saved.</typeparam>
/// <param name="save">Saves one batch and answers every item of it through its <see cref="Pending.Done"/>.</param>
/// <param name="newBatch">
/// Makes the rule of one batch: asked for each item at the head of the queue in turn, it says whether that item may
/// join the batch being taken (the first joins whatever it says). It may remember what it admitted.
/// </param>
/// <param name="maxBatch">The most items in one batch.</param>
public sealed class GroupCommit<TItem, TResult>(Func<List<GroupCommit<TItem, TResult>.Pending>, Task> save, Func<Func<TItem, bool>> newBatch, int maxBatch)
{
    /// <summary>An item waiting to be saved, and its caller's answer.</summary>
    public sealed record Pending(TItem Item, TaskCompletionSource<TResult> Done);

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _draining;

    /// <summary>Completes with the item's answer once its batch is saved; faults when it could not be.</summary>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            _ = Task.Run(DrainAsync);
        }

        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            while (TakeBatch() is { Count: > 0 } batch)
            {
                try
                {
                    await save(batch);
                }
                catch (Exception ex)
                {
                    // The save answers every item itself; this only keeps a surprise from leaving the queue marked as
                    // drained by nobody, which would leave every later item waiting.
                    foreach (var pending in batch)
                    {
                        pending.Done.TrySetException(ex);
                    }
                }
            }

            // An item queued after the last look but before this release found the queue being drained and left it to
            // us: look once more after letting go.
            Volatile.Write(ref _draining, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>The longest run at the head of the queue that the batch's rule admits.</summary>
    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        var admits = newBatch();
        while (batch.Count < maxBatch && _queue.TryPeek(out var next))
        {
            // The rule is asked about the first item too, so it can remember it, but cannot keep it out.
            if (!admits(next.Item) && batch.Count > 0)
            {
                break;
            }

            _queue.TryDequeue(out _);
            batch.Add(next);
        }

        return batch;
    }
}
