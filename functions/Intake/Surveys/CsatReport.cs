using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Intake.Tickets;
using Intake.Web;

namespace Intake.Surveys;

/// <summary>
/// Figures for a set of surveys: how many were sent (delivered), answered, satisfied (4–5); CSAT is satisfied over
/// answered, the response rate answered over sent; both null when there is nothing to divide by.
/// </summary>
public sealed record CsatFigures(int Sent, int Answered, int Satisfied, double? Csat, double? ResponseRate)
{
    public static CsatFigures Of(IEnumerable<SurveyRecord> surveys)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        int sent = 0, answered = 0, satisfied = 0;
        foreach (var survey in surveys)
        {
            // An answer proves delivery whatever the record says (a send marked failed after the provider took it).
            if (survey.Delivery == OutboundStatus.Sent || survey.Answered)
            {
                sent++;
            }

            if (survey.Score is { } score)
            {
                answered++;
                satisfied += score >= 4 ? 1 : 0;
            }
        }

        return new CsatFigures(
            sent, answered, satisfied,
            answered == 0 ? null : Math.Round((double)satisfied / answered, 4),
            sent == 0 ? null : Math.Round((double)answered / sent, 4));
    }
}

/// <summary><c>GET /api/metrics/csat</c>: the days it covers (send days, UTC), overall and by channel and by category.</summary>
public sealed record CsatReport(
    string From, string To, CsatFigures Overall, IReadOnlyDictionary<string, CsatFigures> ByChannel, IReadOnlyDictionary<string, CsatFigures> ByCategory)
{
    public static CsatReport Of(DateOnly from, DateOnly to, IReadOnlyList<SurveyRecord> surveys)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        return new CsatReport(
            from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CsatFigures.Of(surveys),
            surveys.GroupBy(s => s.Channel, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, CsatFigures.Of, StringComparer.Ordinal),
            surveys.GroupBy(s => s.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, CsatFigures.Of, StringComparer.Ordinal));
    }
}

public static class MetricsEndpoints
{
    public const int DefaultDays = 30;
    public const int MaxDays = 92;

    /// <summary>
    /// <c>?from=&amp;to=</c> as <c>yyyy-MM-dd</c>, both included; default the last 30 days up to today (UTC), at most 92
    /// days. 400 with the field at fault for a date that does not parse, <c>from</c> after <c>to</c>, or a longer range.
    /// </summary>
    public static async Task<Results<Ok<CsatReport>, ValidationProblem, ProblemHttpResult>> CsatAsync(
        string? from, string? to, HttpContext http, AgentKeys agents, SurveyStore surveys, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        ArgumentNullException.ThrowIfNull(surveys);
        ArgumentNullException.ThrowIfNull(time);
        var (range, errors) = Range(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (range is not var (first, last))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var records = await surveys.ListAsync(first, last, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CsatReport.Of(first, last, records));
    }

    /// <summary>The range asked for, or the errors by field. Pure.</summary>
    public static ((DateOnly From, DateOnly To)? Range, Dictionary<string, string[]> Errors) Range(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var last = Parse(to, "to", today, errors);
        var first = Parse(from, "from", last.AddDays(-(DefaultDays - 1)), errors);
        if (errors.Count == 0 && first > last)
        {
            errors["from"] = ["from must not be after to."];
        }
        else if (errors.Count == 0 && last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            errors["to"] = [$"The range may cover at most {MaxDays} days."];
        }

        return (errors.Count == 0 ? (first, last) : null, errors);
    }

    private static DateOnly Parse(string? text, string field, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = [$"{field} must be a date as yyyy-MM-dd."];
        return fallback;
    }
}
