using Intake.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace Intake.Functions;

/// <summary>The outbox sweep every minute (6-field NCRONTAB); a message sent twice is recognised by its id.</summary>
public sealed class OutboxFunctions(OutboxSweeper sweeper)
{
    [Function("OutboxSweep")]
    public Task RunAsync([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => sweeper.RunOnceAsync(cancellationToken);
}
