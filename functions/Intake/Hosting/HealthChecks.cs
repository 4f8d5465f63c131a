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
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Both hosts: triage loaded, and the tables reachable.</summary>
    public static IHealthChecksBuilder AddIntakeHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck("triage", () => TriageEngine.Default.RuleCount > 0
                ? HealthCheckResult.Healthy($"{TriageEngine.Default.RuleCount} rules")
                : HealthCheckResult.Unhealthy("No triage rules are loaded."))
            .AddCheck<StorageHealthCheck>("storage", timeout: Timeout);

    /// <summary>The Functions host, which consumes Service Bus: the dead letters of every ticket queue.</summary>
    public static IHealthChecksBuilder AddServiceBusDeadLetterHealthCheck(this IServiceCollection services)
    {
        services.AddSingleton<ServiceBusDeadLetters>();
        return services.AddHealthChecks().AddCheck<ServiceBusDeadLetterHealthCheck>("dead-letters", timeout: Timeout);
    }
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

/// <summary>
/// The dead letters of every ticket queue, counted up to <see cref="ServiceBusDeadLetters.CountLimit"/> each: any is degraded
/// (a message that failed for its whole retry horizon waits for <c>dead-letters replay</c>, docs/functions.md).
/// </summary>
internal sealed partial class ServiceBusDeadLetterHealthCheck(ServiceBusDeadLetters deadLetters, ILogger<ServiceBusDeadLetterHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<DeadLetterCount> counts;
        try
        {
            counts = await deadLetters.CountAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnreachable(logger, ex);
            return HealthCheckResult.Unhealthy("Service Bus does not answer.");
        }

        var data = counts.ToDictionary(c => c.Queue + "/$DeadLetterQueue", c => (object)c.Count, StringComparer.Ordinal);
        var total = counts.Sum(c => c.Count);
        return total > 0
            ? HealthCheckResult.Degraded($"{total}{(counts.Any(c => c.AtLeast) ? " or more" : "")} dead-lettered messages; replay them with dead-letters replay.", data: data)
            : HealthCheckResult.Healthy("No dead letters.", data: data);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: Service Bus unreachable")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
