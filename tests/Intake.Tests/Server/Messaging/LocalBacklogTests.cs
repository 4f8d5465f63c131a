using Intake.Server.Messaging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Server.Messaging;

public class LocalBacklogTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private LocalBacklog Backlog(int limit = 2, bool active = true)
    {
        var backlog = new LocalBacklog(_time, Options.Create(new WorkerOptions { Backlog = limit, BacklogWait = TimeSpan.FromSeconds(2) }));
        if (active)
        {
            backlog.Activate();
        }

        return backlog;
    }

    [Fact]
    public async Task Without_a_worker_in_this_process_nothing_is_counted_or_held()
    {
        var backlog = Backlog(limit: 1, active: false);
        backlog.Added("a");
        backlog.Added("b");

        var wait = backlog.WaitForRoomAsync(TestContext.Current.CancellationToken);

        Assert.True(wait.IsCompleted);
        Assert.Equal(0, backlog.Count);
        await wait;
    }

    [Fact]
    public async Task Intake_waits_while_the_backlog_is_full_and_goes_on_when_the_worker_finishes_one()
    {
        var backlog = Backlog(limit: 2);
        backlog.Added("a");
        var shortWait = backlog.WaitForRoomAsync(TestContext.Current.CancellationToken);
        backlog.Added("b");

        var wait = backlog.WaitForRoomAsync(TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(shortWait.IsCompleted);
        Assert.False(wait.IsCompleted);

        backlog.Finished("a");
        await wait.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1, backlog.Count);
    }

    [Fact]
    public async Task Intake_goes_on_after_the_longest_wait_even_if_the_worker_never_finishes()
    {
        var backlog = Backlog(limit: 1);
        backlog.Added("a");

        var wait = backlog.WaitForRoomAsync(TestContext.Current.CancellationToken).AsTask();
        for (var i = 0; i < 30 && !wait.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(wait.IsCompleted);
        await wait;
        Assert.Equal(1, backlog.Count);
    }

    [Fact]
    public async Task Messages_another_instance_handled_are_forgotten_after_a_minute()
    {
        var backlog = Backlog(limit: 1);
        backlog.Added("handled-elsewhere");
        _time.Advance(TimeSpan.FromMinutes(2));

        await backlog.WaitForRoomAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(0, backlog.Count);
    }

    [Fact]
    public void A_message_finished_that_was_never_counted_changes_nothing()
    {
        var backlog = Backlog();
        backlog.Added("a");

        backlog.Finished("other");
        backlog.Finished(null);

        Assert.Equal(1, backlog.Count);
    }
}
