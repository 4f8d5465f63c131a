using Intake.Messaging;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace Intake.Hosting;

public sealed record HealthReport(string Status, TriageHealth Triage, StorageHealth Storage, IReadOnlyDictionary<string, int> Queues);

public sealed record TriageHealth(int Rules);

public sealed record StorageHealth(string Status);

/// <summary><c>GET /api/health</c>: triage loaded, storage reachable, and the depth of every ticket queue.</summary>
public static partial class HealthEndpoint
{
    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetAsync(
        TriageEngine triage, TicketStore store, StorageTicketQueue queue, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            await store.GetAsync("health-check", cancellationToken).ConfigureAwait(false);
            foreach (var urgency in TicketQueues.ByPriority)
            {
                depths[TicketQueues.NameFor(urgency)] = await queue.ApproximateDepthAsync(TicketQueues.NameFor(urgency), cancellationToken).ConfigureAwait(false);
                depths[TicketQueues.PoisonNameFor(urgency)] =
                    await queue.ApproximateDepthAsync(TicketQueues.PoisonNameFor(urgency), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStorageUnhealthy(loggers.CreateLogger(typeof(HealthEndpoint)), ex);
            return TypedResults.Json(
                new HealthReport("unhealthy", new TriageHealth(triage.RuleCount), new StorageHealth("unreachable"), depths),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok(new HealthReport("ok", new TriageHealth(triage.RuleCount), new StorageHealth("ok"), depths));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check: storage unreachable")]
    private static partial void LogStorageUnhealthy(ILogger logger, Exception exception);
}
