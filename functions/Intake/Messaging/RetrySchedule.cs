namespace Intake.Messaging;

/// <summary>
/// When a queue message that keeps failing is tried again, for both queues (Storage queues on the server, Service Bus under
/// Functions): the first wait, doubled for each further retry up to <see cref="MaxDelay"/>, until the waits add up to
/// <see cref="Horizon"/>; then the message is given up (poison queue, dead letter), to be replayed by an operator.
/// </summary>
public readonly record struct RetrySchedule(TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Horizon)
{
    /// <summary>The wait before retry number <paramref name="attempt"/> + 1.</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var ticks = FirstDelay.Ticks * Math.Pow(2, Math.Clamp(attempt, 0, 30));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The wait before the next retry when <paramref name="attempt"/> retries were made, or null once their waits span the horizon.</summary>
    public TimeSpan? NextDelay(int attempt)
    {
        var waited = TimeSpan.Zero;
        for (var n = 0; n < attempt; n++)
        {
            waited += DelayFor(n);
            if (waited >= Horizon)
            {
                return null;
            }
        }

        return waited < Horizon ? DelayFor(attempt) : null;
    }
}
