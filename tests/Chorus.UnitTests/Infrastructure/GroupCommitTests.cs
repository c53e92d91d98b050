using System.Collections.Concurrent;
using Chorus.Infrastructure.Data;

namespace Chorus.UnitTests.Infrastructure;

public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A save that records each batch and, for the first batch only, waits until released.</summary>
    private sealed class Saver
    {
        public readonly TaskCompletionSource FirstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource ReleaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly ConcurrentQueue<int[]> Batches = new();

        public async Task SaveAsync(List<GroupCommit<int, int>.Pending> batch)
        {
            var first = Batches.IsEmpty;
            Batches.Enqueue([.. batch.Select(p => p.Item)]);
            if (first)
            {
                FirstStarted.SetResult();
                await ReleaseFirst.Task;
            }

            if (batch.Any(p => p.Item < 0))
            {
                throw new InvalidOperationException("A negative item cannot be saved.");
            }

            foreach (var pending in batch)
            {
                pending.Done.SetResult(pending.Item * 10);
            }
        }
    }

    private static Func<Func<int, bool>> AnyItem => () => _ => true;

    [Fact]
    public async Task Items_that_arrive_while_a_batch_saves_are_saved_together_next_and_each_gets_its_own_answer()
    {
        var saver = new Saver();
        var commits = new GroupCommit<int, int>(saver.SaveAsync, AnyItem, maxBatch: 10);

        var first = commits.SubmitAsync(1);
        await saver.FirstStarted.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        var waiting = new[] { commits.SubmitAsync(2), commits.SubmitAsync(3), commits.SubmitAsync(4) };
        saver.ReleaseFirst.SetResult();
        var answers = await Task.WhenAll(waiting).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(10, await first);
        Assert.Equal([20, 30, 40], answers);
        Assert.Equal([[1], [2, 3, 4]], saver.Batches);
    }

    [Fact]
    public async Task A_batch_takes_the_run_its_rule_admits_and_at_most_the_maximum_and_the_rest_waits_its_turn_in_order()
    {
        var saver = new Saver();
        // Items of one parity per batch.
        var commits = new GroupCommit<int, int>(saver.SaveAsync, () =>
        {
            int? parity = null;
            return item => (parity ??= item % 2) == item % 2;
        }, maxBatch: 2);

        var first = commits.SubmitAsync(1);
        await saver.FirstStarted.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        var waiting = new[] { 2, 4, 6, 3, 5 }.Select(commits.SubmitAsync).ToArray();
        saver.ReleaseFirst.SetResult();
        await Task.WhenAll(waiting).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(10, await first);
        Assert.Equal([[1], [2, 4], [6], [3, 5]], saver.Batches);
    }

    [Fact]
    public async Task A_first_item_its_rule_refuses_is_still_taken_so_the_queue_never_stalls()
    {
        var saver = new Saver();
        saver.ReleaseFirst.SetResult();
        var commits = new GroupCommit<int, int>(saver.SaveAsync, () => _ => false, maxBatch: 10);

        var answer = await commits.SubmitAsync(7).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.Equal(70, answer);
        Assert.Equal([[7]], saver.Batches);
    }

    [Fact]
    public async Task A_batch_whose_save_throws_fails_its_own_items_and_the_next_items_are_still_saved()
    {
        var saver = new Saver();
        var commits = new GroupCommit<int, int>(saver.SaveAsync, AnyItem, maxBatch: 10);

        var first = commits.SubmitAsync(-1);
        await saver.FirstStarted.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
        var second = commits.SubmitAsync(2);
        saver.ReleaseFirst.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first.WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.Equal(20, await second.WaitAsync(Patience, TestContext.Current.CancellationToken));
        Assert.Equal([[-1], [2]], saver.Batches);
    }
}
