using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Intake.Hosting;

/// <summary><c>GET /api/health</c>: the process answers. Nothing else, so it costs nothing and tells nothing.</summary>
public sealed record Liveness(string Status);

/// <summary><c>GET /api/health/details</c>: the platform's health report (<see cref="HealthCheckService"/>), per check.</summary>
public sealed record HealthDetailsJson(string Status, IReadOnlyDictionary<string, HealthCheckJson> Checks);

/// <summary>One check: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, why, and what it measured (queue depths).</summary>
public sealed record HealthCheckJson(string Status, string? Description, IReadOnlyDictionary<string, object>? Data);

/// <summary>
/// Liveness for anyone (load balancers, uptime checks): no storage call, no detail. The report (triage, storage, ticket
/// and poison queue depths) is behind an agent key: queue depths tell outsiders how busy support is and whether
/// deliveries fail, and each report costs storage calls. 503 when a check is unhealthy.
/// </summary>
public static class HealthEndpoint
{
    public static Ok<Liveness> Get() => TypedResults.Ok(new Liveness("ok"));

    public static async Task<Results<JsonHttpResult<HealthDetailsJson>, ProblemHttpResult>> DetailsAsync(
        HttpContext http, AgentKeys agents, HealthCheckService checks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(checks);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        var report = await checks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            new HealthDetailsJson(
                Name(report.Status),
                report.Entries.ToDictionary(
                    entry => entry.Key,
                    entry => new HealthCheckJson(Name(entry.Value.Status), entry.Value.Description, entry.Value.Data.Count == 0 ? null : entry.Value.Data),
                    StringComparer.Ordinal)),
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
