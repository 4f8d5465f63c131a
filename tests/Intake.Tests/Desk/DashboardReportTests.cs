using Intake.Desk.Dashboard;
using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Intake.Triage;
using static Intake.Tests.Desk.DashboardRows;

namespace Intake.Tests.Desk;

public sealed class DashboardReportTests
{
    private static DashboardReport Compute(
        string from, string to, IReadOnlyList<SlaMetricsRow>? metrics = null, IReadOnlyList<SurveyRecord>? surveys = null, IReadOnlyList<DeflectionRow>? deflection = null) =>
        DashboardReport.Compute(Day(from), Day(to), CreatedOf(metrics ?? []), metrics ?? [], surveys ?? [], deflection ?? [], BusinessCalendar.AlwaysOpen);

    [Fact]
    public void Volume_counts_each_ticket_on_its_creation_day_by_channel()
    {
        SlaMetricsRow[] rows =
        [
            Metrics("2026-03-01", "email", Urgency.Normal, 10),
            Metrics("2026-03-01", "email", Urgency.High, 20),
            Metrics("2026-03-01", "telegram", Urgency.Normal, 30),
            Metrics("2026-03-03", "email", Urgency.Low, null, firstBreached: true),

            // A day after the range: counted nowhere.
            Metrics("2026-03-04", "whatsapp", Urgency.Normal, 5),
        ];

        var report = Compute("2026-03-01", "2026-03-03", rows);

        Assert.Equal(["email", "telegram"], report.Channels);
        Assert.Equal([Day("2026-03-01"), Day("2026-03-02"), Day("2026-03-03")], report.Volume.Select(v => v.Day));
        Assert.Equal([(2, 1, 3), (0, 0, 0), (1, 0, 1)], report.Volume.Select(v => (v.ByChannel["email"], v.ByChannel["telegram"], v.Total)));
        Assert.Equal(4, report.Sla.Overall.Tickets);
    }

    [Fact]
    public void Sla_met_and_breached_are_counted_by_urgency_for_first_response_and_resolution()
    {
        SlaMetricsRow[] rows =
        [
            Metrics("2026-03-01", "email", Urgency.Urgent, 10, resolvedAfter: 120),
            Metrics("2026-03-01", "email", Urgency.Urgent, 90, resolvedAfter: 2000),
            Metrics("2026-03-01", "email", Urgency.Urgent, null, firstBreached: true),
            Metrics("2026-03-01", "x", Urgency.Low, 30),

            // Answered in time but recorded breached (the monitor saw it first): a breach.
            Metrics("2026-03-02", "x", Urgency.Low, 50, firstBreached: true),
        ];

        var report = Compute("2026-03-01", "2026-03-02", rows);

        var urgent = report.Sla.ByUrgency["urgent"];
        Assert.Equal((1, 2), (urgent.FirstResponse.Met, urgent.FirstResponse.Missed));
        Assert.Equal((1, 1), (urgent.Resolution.Met, urgent.Resolution.Missed));
        var low = report.Sla.ByUrgency["low"];
        Assert.Equal((1, 1), (low.FirstResponse.Met, low.FirstResponse.Missed));
        Assert.Equal((0, 0), (low.Resolution.Met, low.Resolution.Missed));
        Assert.Equal((0, 0), (report.Sla.ByUrgency["high"].FirstResponse.Met, report.Sla.ByUrgency["high"].FirstResponse.Missed));
        Assert.Equal(["urgent", "high", "normal", "low"], DashboardReport.Urgencies);
    }

    [Fact]
    public void First_response_median_and_p90_are_the_sla_reports_nearest_rank_figures()
    {
        SlaMetricsRow[] rows =
        [
            .. new[] { 40.0, 10, 50, 20, 30 }.Select(m => Metrics("2026-03-01", "email", Urgency.Normal, m)),
            Metrics("2026-03-02", "email", Urgency.Urgent, 5),
        ];

        var report = Compute("2026-03-01", "2026-03-02", rows);
        var (start, end) = (At("2026-03-01", -9 * 60), At("2026-03-03", -9 * 60).AddTicks(-1));
        var expected = SlaReport.Compute(rows, BusinessCalendar.AlwaysOpen, start, end);

        // By hand: ranks ⌈0.5·5⌉ = 3 and ⌈0.9·5⌉ = 5 of 10, 20, 30, 40, 50.
        Assert.Equal((30.0, 50.0), (report.Sla.ByUrgency["normal"].FirstResponse.MedianMinutes, report.Sla.ByUrgency["normal"].FirstResponse.P90Minutes));
        Assert.Equal(expected.Overall, report.Sla.Overall);
        Assert.Equal((start, end), (report.Sla.From, report.Sla.To));
        foreach (var urgency in DashboardReport.Urgencies)
        {
            Assert.Equal(expected.ByUrgency[urgency], report.Sla.ByUrgency[urgency]);
        }
    }

    [Fact]
    public void Csat_and_response_rate_are_counted_by_channel_and_by_category()
    {
        SurveyRecord[] surveys =
        [
            Survey("2026-03-01", "telegram", "withdrawal", 5),
            Survey("2026-03-01", "telegram", "withdrawal", 2),
            Survey("2026-03-01", "email", "deposit", null),
            Survey("2026-03-02", "email", "deposit", 4),
        ];

        var report = Compute("2026-03-01", "2026-03-02", surveys: surveys);

        Assert.Equal(new CsatFigures(2, 2, 1, 0.5, 1.0), report.Csat.ByChannel["telegram"]);
        Assert.Equal(new CsatFigures(2, 1, 1, 1.0, 0.5), report.Csat.ByChannel["email"]);
        Assert.Equal(new CsatFigures(2, 2, 1, 0.5, 1.0), report.Csat.ByCategory["withdrawal"]);
        Assert.Equal(new CsatFigures(4, 3, 2, 0.6667, 0.75), report.Csat.Overall);
    }

    [Fact]
    public void Deflection_counts_the_acknowledgements_that_offered_articles_and_is_absent_without_any()
    {
        DeflectionRow[] rows =
        [
            Offer("2026-03-01", "deposit", 2, solved: true),
            Offer("2026-03-01", "deposit", 1, solved: false),
            Offer("2026-03-02", "withdrawal", 3, solved: false),

            // An acknowledgement that offered nothing is not an offer.
            Offer("2026-03-02", "withdrawal", 0, solved: false),
        ];

        var report = Compute("2026-03-01", "2026-03-02", deflection: rows);

        Assert.NotNull(report.Deflection);
        Assert.Equal(new DeflectionFigures(3, 1, 0.3333), report.Deflection.Total);
        Assert.Equal(
            [new DeflectionGroup("deposit", 2, 1, 0.5), new DeflectionGroup("withdrawal", 1, 0, 0.0)],
            report.Deflection.ByCategory);
        Assert.Null(Compute("2026-03-01", "2026-03-02", deflection: [Offer("2026-03-01", "deposit", 0, solved: false)]).Deflection);
    }

    [Fact]
    public void A_range_that_runs_backwards_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Compute("2026-03-02", "2026-03-01"));
    }
}
