using System.Globalization;
using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Desk;

/// <summary>Rows as the stores read them, for the dashboard's pure tests: times are minutes after 09:00 UTC on the day named.</summary>
internal static class DashboardRows
{
    public static DateTimeOffset At(string day, double minutes = 0) =>
        DateTimeOffset.ParseExact(day + " 09:00 +00:00", "yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture).AddMinutes(minutes);

    public static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A ticket's metrics row: first response due an hour after creation, answered after <paramref name="respondedAfter"/>
    /// minutes (or not), resolution due a day after, resolved after <paramref name="resolvedAfter"/> minutes (or not).
    /// </summary>
    public static SlaMetricsRow Metrics(
        string day, string channel, Urgency urgency, double? respondedAfter, double? resolvedAfter = null, bool firstBreached = false, bool resolutionBreached = false)
    {
        var created = At(day);
        return new SlaMetricsRow(
            TicketIds.NewId(TimeProvider.System),
            created,
            urgency,
            channel,
            created.AddHours(1),
            respondedAfter is { } r ? created.AddMinutes(r) : null,
            TimeSpan.Zero,
            firstBreached,
            created.AddDays(1),
            resolvedAfter is { } s ? created.AddMinutes(s) : null,
            TimeSpan.Zero,
            resolutionBreached);
    }

    public static SurveyRecord Survey(string day, string channel, string category, int? score, OutboundStatus delivery = OutboundStatus.Sent) =>
        new(TicketIds.NewId(TimeProvider.System), At(day, 180), channel, category, "en", delivery, score, null, score is null ? null : At(day, 240));

    public static DeflectionRow Offer(string day, string category, int articles, bool solved) =>
        new(TicketIds.NewId(TimeProvider.System), At(day), category, "en", articles, solved ? At(day, 30) : null);

    /// <summary>The tickets of <paramref name="metrics"/> as the volume counts them.</summary>
    public static IReadOnlyList<Intake.Desk.Dashboard.VolumeRow> CreatedOf(IEnumerable<SlaMetricsRow> metrics) =>
        [.. metrics.Select(r => new Intake.Desk.Dashboard.VolumeRow(r.CreatedAt, r.Channel))];
}
