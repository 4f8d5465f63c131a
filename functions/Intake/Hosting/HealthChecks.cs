using Intake.Messaging;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Intake.Hosting;

/// <summary>The checks behind <c>GET /api/health/details</c>, registered with the platform's <c>AddHealthChecks()</c>.</summary>
public static class IntakeHealthChecks
{
    /// <summary>A check that has not answered by then is unhealthy: the SDK's retries must not hold the report for minutes.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Both hosts: triage loaded, and the tables reachable.</summary>
    public static IHealthChecksBuilder AddIntakeHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck("triage", () => TriageEngine.Default.RuleCount > 0
                ? HealthCheckResult.Healthy($"{TriageEngine.Default.RuleCount} rules")
                : HealthCheckResult.Unhealthy("No triage rules are loaded."))
            .AddCheck<StorageHealthCheck>("storage", timeout: Timeout);

    /// <summary>The server, which consumes Storage queues: their depths (Service Bus's are watched in Azure Monitor).</summary>
    public static IHealthChecksBuilder AddTicketQueueHealthCheck(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<TicketQueuesHealthCheck>("queues", timeout: Timeout);
}

/// <summary>The ticket tables answer a point read.</summary>
internal sealed partial class StorageHealthCheck(TicketStore store, ILogger<StorageHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Tables answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnreachable(logger, ex);
            return HealthCheckResult.Unhealthy("Tables do not answer.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: storage unreachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}

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
