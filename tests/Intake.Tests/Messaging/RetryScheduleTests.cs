using Intake.Messaging;

namespace Intake.Tests.Messaging;

/// <summary>When a failing queue message is tried again, and when it is given up.</summary>
public sealed class RetryScheduleTests
{
    private static readonly RetrySchedule Worker = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));

    [Fact]
    public void The_waits_double_up_to_the_longest_wait()
    {
        Assert.Equal(
            [2, 4, 8, 16, 32, 64, 128, 256, 300, 300],
            Enumerable.Range(0, 10).Select(attempt => Worker.DelayFor(attempt).TotalSeconds));
        Assert.Equal(TimeSpan.FromMinutes(5), Worker.DelayFor(int.MaxValue));
    }

    [Fact]
    public void The_servers_defaults_outlast_an_hour_long_outage_and_give_up_after_two_hours_of_waits()
    {
        var waited = TimeSpan.Zero;
        var retries = 0;
        while (Worker.NextDelay(retries) is { } delay)
        {
            waited += delay;
            retries++;
        }

        Assert.Equal(31, retries);
        Assert.InRange(waited, TimeSpan.FromHours(2), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void No_horizon_gives_up_at_the_first_failure()
    {
        Assert.Null(new RetrySchedule(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), TimeSpan.Zero).NextDelay(0));
    }
}
