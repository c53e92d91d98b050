using Chorus.Infrastructure.Data;

namespace Chorus.UnitTests.Infrastructure;

public sealed class SqliteWriteGateTests
{
    [Fact]
    public async Task A_second_save_into_the_same_file_waits_until_the_first_is_over_and_then_goes_at_once()
    {
        var file = $"/tmp/{Guid.NewGuid():N}.db";
        var first = await SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);

        var second = SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(second.IsCompleted);

        first!.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken))!.Dispose();
    }

    [Fact]
    public async Task Releasing_twice_lets_only_one_waiter_in()
    {
        var file = $"/tmp/{Guid.NewGuid():N}.db";
        var first = await SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);
        var second = SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);
        var third = SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);

        first!.Dispose();
        first.Dispose();
        await second.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.False(third.IsCompleted);
    }

    [Fact]
    public async Task Saves_into_different_files_do_not_wait_for_each_other()
    {
        using var held = await SqliteWriteGate.EnterAsync($"/tmp/{Guid.NewGuid():N}.db", TestContext.Current.CancellationToken);

        var other = SqliteWriteGate.EnterAsync($"/tmp/{Guid.NewGuid():N}.db", TestContext.Current.CancellationToken);

        Assert.True(other.IsCompletedSuccessfully);
        (await other)!.Dispose();
    }

    [Fact]
    public async Task A_waiting_save_that_is_cancelled_gives_up_and_leaves_the_gate_to_the_next()
    {
        var file = $"/tmp/{Guid.NewGuid():N}.db";
        var first = await SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);
        using var cancel = new CancellationTokenSource();
        var cancelled = SqliteWriteGate.EnterAsync(file, cancel.Token);
        var next = SqliteWriteGate.EnterAsync(file, TestContext.Current.CancellationToken);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        first!.Dispose();

        (await next.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken))!.Dispose();
    }
}
