using Intake.Tickets;
using Intake.Triage;

namespace Intake.Sla;

/// <summary>Attainment and times of one target. <see cref="Attainment"/> is met ÷ (met + missed), null with nothing measured.</summary>
public sealed record TargetFiguresJson(int Met, int Missed, double? Attainment, double? MedianMinutes, double? P90Minutes);

public sealed record SlaFiguresJson(int Tickets, TargetFiguresJson FirstResponse, TargetFiguresJson Resolution);

/// <summary>The <c>GET /api/metrics/sla</c> answer.</summary>
public sealed record SlaReportJson(
    DateTimeOffset From,
    DateTimeOffset To,
    string Percentile,
    bool BusinessHours,
    SlaFiguresJson Overall,
    IReadOnlyDictionary<string, SlaFiguresJson> ByUrgency,
    IReadOnlyDictionary<string, SlaFiguresJson> ByChannel);

/// <summary>
/// The SLA report, pure. A target counts as <em>met</em> when it was reached by its due time and never recorded breached,
/// <em>missed</em> when it was reached late or recorded breached; a ticket still inside its target counts for neither.
/// Times are from creation to the first response (or resolution), less the time spent waiting on the customer, in
/// business minutes when a calendar is set. Median and p90 are nearest-rank: the value at rank ⌈p·n⌉ of the n sorted times.
/// </summary>
public static class SlaReport
{
    public const string PercentileMethod = "nearest-rank";

    public static SlaReportJson Compute(IReadOnlyList<SlaMetricsRow> rows, BusinessCalendar calendar, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(calendar);
        return new SlaReportJson(
            from,
            to,
            PercentileMethod,
            !calendar.IsAlwaysOpen,
            Figures(rows, calendar),
            TicketQueuesOrder.ToDictionary(u => u.ToName(), u => Figures([.. rows.Where(r => r.Urgency == u)], calendar), StringComparer.Ordinal),
            rows.GroupBy(r => r.Channel, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Figures([.. g], calendar), StringComparer.Ordinal));
    }

    private static readonly Urgency[] TicketQueuesOrder = [Urgency.Urgent, Urgency.High, Urgency.Normal, Urgency.Low];

    private static SlaFiguresJson Figures(IReadOnlyList<SlaMetricsRow> rows, BusinessCalendar calendar) =>
        new(
            rows.Count,
            Target([.. rows.Select(r => (r.CreatedAt, r.FirstRespondedAt, r.FirstResponseDueAt, r.FirstResponsePaused, r.FirstResponseBreached))], calendar),
            Target([.. rows.Select(r => (r.CreatedAt, r.ResolvedAt, r.ResolutionDueAt, r.ResolutionPaused, r.ResolutionBreached))], calendar));

    private static TargetFiguresJson Target(
        IReadOnlyList<(DateTimeOffset Created, DateTimeOffset? Reached, DateTimeOffset? Due, TimeSpan Paused, bool Breached)> rows, BusinessCalendar calendar)
    {
        int met = 0, missed = 0;
        var minutes = new List<double>();
        foreach (var (created, reached, due, paused, breached) in rows)
        {
            if (reached is { } at)
            {
                var taken = calendar.Elapsed(created, at) - paused;
                minutes.Add(Math.Max(0, taken.TotalMinutes));
                if (!breached && (due is null || at <= due))
                {
                    met++;
                }
                else
                {
                    missed++;
                }
            }
            else if (breached)
            {
                missed++;
            }
        }

        minutes.Sort();
        return new TargetFiguresJson(
            met,
            missed,
            met + missed == 0 ? null : Math.Round((double)met / (met + missed), 4),
            NearestRank(minutes, 0.5) is { } median ? Math.Round(median, 2) : null,
            NearestRank(minutes, 0.9) is { } p90 ? Math.Round(p90, 2) : null);
    }

    /// <summary>The nearest-rank percentile of sorted values: the value at rank ⌈p·n⌉ (1-based); null for none.</summary>
    public static double? NearestRank(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
