using System.Globalization;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Sla;

/// <summary>
/// <c>GET /api/metrics/sla?from=&amp;to=</c> (API key): the SLA report for tickets created in [from, to] (ISO 8601; a date
/// alone is midnight UTC). Default the last 30 days; at most 92 days; 400 with field errors otherwise.
/// </summary>
public static class SlaMetricsEndpoints
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

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
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = Parse(to, "to", errors) ?? time.GetUtcNow();
        var start = Parse(from, "from", errors) ?? end - DefaultRange;
        if (errors.Count == 0 && start > end)
        {
            errors["to"] = ["Must not be before from."];
        }
        else if (errors.Count == 0 && end - start > MaxRange)
        {
            errors["from"] = [$"The range is at most {MaxRange.TotalDays.ToString(CultureInfo.InvariantCulture)} days."];
        }

        if (errors.Count > 0)
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

    private static DateTimeOffset? Parse(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length <= 40 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[name] = ["An ISO 8601 date or time, such as 2026-11-01 or 2026-11-01T09:00:00Z."];
        return null;
    }
}
