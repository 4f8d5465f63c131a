using Intake.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Messaging;

/// <summary>The approximate depth of every ticket queue and its poison queue; a message in a poison queue is degraded.</summary>
internal sealed partial class TicketQueuesHealthCheck(StorageTicketQueue queue, ILogger<TicketQueuesHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var depths = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            foreach (var name in TicketQueues.ByPriority.SelectMany(u => new[] { TicketQueues.NameFor(u), TicketQueues.PoisonNameFor(u) }))
            {
                depths[name] = await queue.ApproximateDepthAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnreachable(logger, ex);
            return HealthCheckResult.Unhealthy("Queues do not answer.", data: depths);
        }

        var poisoned = TicketQueues.ByPriority.Sum(u => (int)depths[TicketQueues.PoisonNameFor(u)]);
        return poisoned > 0
            ? HealthCheckResult.Degraded($"{poisoned} messages in poison queues.", data: depths)
            : HealthCheckResult.Healthy("Queues answer.", data: depths);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: queues unreachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
