using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Sla;

/// <summary>
/// <c>GET /api/metrics/sla?from=&amp;to=</c> (API key): the SLA report for tickets created in [from, to]
/// (<see cref="MetricsRange"/>); 400 with field errors otherwise.
/// </summary>
public static class SlaMetricsEndpoints
{
    public static async Task<Results<Ok<SlaReportJson>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? from, string? to, HttpContext http, AgentKeys agents, SlaStore store, IOptions<SlaOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (MetricsRange.Read(from, to, time.GetUtcNow(), out var errors) is not var (start, end))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await store.ReadMetricsAsync(start, end, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(SlaReport.Compute(rows, options.Value.Calendar(), start, end));
    }

    /// <summary><see cref="GetAsync"/> with <c>from</c> and <c>to</c> read from the query, for a host that binds only route values (Azure Functions).</summary>
    public static Task<Results<Ok<SlaReportJson>, ValidationProblem, ProblemHttpResult>> GetFromQueryAsync(
        HttpRequest request, AgentKeys agents, SlaStore store, IOptions<SlaOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? Value(string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
        return GetAsync(Value("from"), Value("to"), request.HttpContext, agents, store, options, time, cancellationToken);
    }
}
