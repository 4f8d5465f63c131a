using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.HelpCenter;

/// <summary>How often the articles an acknowledgement offered closed the ticket: acknowledgements with articles, closes, their rate.</summary>
public sealed record DeflectionFigures(int AcknowledgementsWithArticles, int SelfServed, double? Rate);

public sealed record DeflectionGroup(string Key, int AcknowledgementsWithArticles, int SelfServed, double? Rate);

/// <summary>The deflection report: over the range, by ticket category and by language.</summary>
public sealed record DeflectionReportJson(
    DateTimeOffset From, DateTimeOffset To, DeflectionFigures Total, IReadOnlyList<DeflectionGroup> ByCategory, IReadOnlyList<DeflectionGroup> ByLanguage);

/// <summary>
/// <c>GET /api/metrics/deflection?from=&amp;to=</c> (API key): for tickets created in [from, to] (<see cref="MetricsRange"/>),
/// the acknowledgements that offered help-center articles, the tickets their customers then closed as solved
/// (self-served), and the rate, overall, by category and by language.
/// </summary>
public static class DeflectionEndpoints
{
    public static async Task<Results<Ok<DeflectionReportJson>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string? from, string? to, HttpContext http, AgentKeys agents, DeflectionStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        if (MetricsRange.Read(from, to, time.GetUtcNow(), out var errors) is not var (start, end))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = (await store.ReadAsync(start, end, cancellationToken).ConfigureAwait(false)).Where(r => r.Articles > 0).ToList();
        return TypedResults.Ok(new DeflectionReportJson(start, end, Figures(rows), Groups(rows, r => r.Category), Groups(rows, r => r.Language)));
    }

    /// <summary><see cref="GetAsync"/> with <c>from</c> and <c>to</c> read from the query, for a host that binds only route values (Azure Functions).</summary>
    public static Task<Results<Ok<DeflectionReportJson>, ValidationProblem, ProblemHttpResult>> GetFromQueryAsync(
        HttpRequest request, AgentKeys agents, DeflectionStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? Value(string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
        return GetAsync(Value("from"), Value("to"), request.HttpContext, agents, store, time, cancellationToken);
    }

    /// <summary>The figures of the rows given (each an acknowledgement that offered articles); also the desk dashboard's.</summary>
    internal static DeflectionFigures Figures(IReadOnlyCollection<DeflectionRow> rows)
    {
        var solved = rows.Count(r => r.SolvedAt is not null);
        return new DeflectionFigures(rows.Count, solved, rows.Count == 0 ? null : Math.Round((double)solved / rows.Count, 4));
    }

    internal static IReadOnlyList<DeflectionGroup> Groups(IEnumerable<DeflectionRow> rows, Func<DeflectionRow, string> key) =>
    [
        .. rows.GroupBy(key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Figures: Figures([.. g])))
            .Select(g => new DeflectionGroup(g.Key, g.Figures.AcknowledgementsWithArticles, g.Figures.SelfServed, g.Figures.Rate)),
    ];
}
