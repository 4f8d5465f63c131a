using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Intake.Triage;

namespace Intake.Desk.Dashboard;

/// <summary>Tickets created on one day (UTC), by channel; every channel of the report is there, zero when it had none.</summary>
public sealed record DayVolume(DateOnly Day, IReadOnlyDictionary<string, int> ByChannel)
{
    public int Total => ByChannel.Values.Sum();
}

/// <summary>
/// Help-center deflection over the range: acknowledgements that offered articles, the tickets their customers then
/// closed as solved (self-served), the rate; overall and by category.
/// </summary>
public sealed record DeflectionSummary(DeflectionFigures Total, IReadOnlyList<DeflectionGroup> ByCategory);

/// <summary>
/// What the support lead's dashboard shows for the days <see cref="From"/> to <see cref="To"/> (UTC, both included):
/// tickets by channel and creation day, the SLA report by urgency (<see cref="SlaReport"/>: attainment, nearest-rank
/// median and p90), CSAT by channel and category over the surveys sent on those days (<see cref="CsatReport"/>), and
/// deflection, null when no acknowledgement offered an article.
/// </summary>
/// <remarks>Volume counts every ticket created (<see cref="TicketVolume"/>), answered or not.</remarks>
public sealed record DashboardReport(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<string> Channels,
    IReadOnlyList<DayVolume> Volume,
    SlaReportJson Sla,
    CsatReport Csat,
    DeflectionSummary? Deflection)
{
    /// <summary>The urgencies in the order the desk works them, by the names the SLA report keys them by.</summary>
    public static IReadOnlyList<string> Urgencies { get; } = [.. new[] { Urgency.Urgent, Urgency.High, Urgency.Normal, Urgency.Low }.Select(u => u.ToName())];

    /// <summary>
    /// The report from the rows of the range, pure: volume from <paramref name="created"/>, the SLA from
    /// <paramref name="metrics"/>. Rows created outside [<paramref name="from"/>, <paramref name="to"/>]
    /// count nowhere in volume; the SLA figures and CSAT are those of <see cref="SlaReport.Compute"/> and <see cref="CsatReport.Of"/>.
    /// </summary>
    public static DashboardReport Compute(
        DateOnly from,
        DateOnly to,
        IReadOnlyList<VolumeRow> created,
        IReadOnlyList<SlaMetricsRow> metrics,
        IReadOnlyList<SurveyRecord> surveys,
        IReadOnlyList<DeflectionRow> deflection,
        BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(surveys);
        ArgumentNullException.ThrowIfNull(deflection);
        ArgumentNullException.ThrowIfNull(calendar);
        if (from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "to must not be before from.");
        }

        var (start, end) = DashboardData.Bounds(from, to);
        var inRange = metrics.Where(r => r.CreatedAt >= start && r.CreatedAt <= end).ToList();
        var createdInRange = created.Where(r => r.CreatedAt >= start && r.CreatedAt <= end).ToList();
        var channels = createdInRange.Select(r => r.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var counts = createdInRange
            .GroupBy(r => (Day: DateOnly.FromDateTime(r.CreatedAt.UtcDateTime), r.Channel))
            .ToDictionary(g => g.Key, g => g.Count());
        var volume = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1)
            .Select(from.AddDays)
            .Select(day => new DayVolume(day, channels.ToDictionary(c => c, c => counts.GetValueOrDefault((day, c)), StringComparer.Ordinal)))
            .ToList();

        return new DashboardReport(
            from,
            to,
            channels,
            volume,
            SlaReport.Compute(inRange, calendar, start, end),
            CsatReport.Of(from, to, surveys),
            Deflected([.. deflection.Where(r => r.Articles > 0 && r.CreatedAt >= start && r.CreatedAt <= end)]));
    }

    /// <summary>The figures <c>GET /api/metrics/deflection</c> gives, for the offers made; null for none.</summary>
    private static DeflectionSummary? Deflected(List<DeflectionRow> offered)
    {
        if (offered.Count == 0)
        {
            return null;
        }

        return new DeflectionSummary(DeflectionEndpoints.Figures(offered), DeflectionEndpoints.Groups(offered, r => r.Category));
    }
}
