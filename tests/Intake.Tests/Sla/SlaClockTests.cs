using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Sla;

/// <summary>The calendar, the clock's rules and the percentile, pure.</summary>
public sealed class SlaClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    private static BusinessCalendar Berlin(string holidays = "")
    {
        Assert.True(BusinessCalendar.TryParse("Europe/Berlin", "Mon-Fri 09:00-18:00; Sat 10:00-14:00", holidays, out var calendar, out var error), error);
        return calendar;
    }

    private static Ticket NewTicket(Urgency urgency = Urgency.Normal) => SlaClock.Start(
        new Ticket { Id = "01M84X50NJRKSK0AD1N8XAWHTP", Reference = "T-XAWHTP", Channel = "web", Contact = new("web", "c"), Language = "en", Category = TicketCategory.General, Urgency = urgency, CreatedAt = T0 },
        new SlaOptions());

    [Fact]
    public void A_ticket_created_on_friday_evening_is_due_on_saturday_inside_opening_hours()
    {
        // Friday 2026-11-27 17:30 in Berlin (UTC+1): 30 minutes on Friday, 30 on Saturday from 10:00.
        var created = new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero), Berlin().Add(created, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Holidays_and_closed_days_are_skipped_in_the_calendars_time_zone()
    {
        // Saturday 13:30 Berlin, 1 h: 30 min on Saturday, Sunday closed, Monday 30 Nov a holiday, Tuesday 09:30 (08:30 UTC).
        var created = new DateTimeOffset(2026, 11, 28, 12, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero), Berlin("2026-11-30").Add(created, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Elapsed_counts_only_open_time_and_undoes_add()
    {
        var calendar = Berlin();
        var friday = new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMinutes(30), calendar.Elapsed(friday, new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(7), calendar.Elapsed(friday, calendar.Add(friday, TimeSpan.FromHours(7))));
        Assert.Equal(TimeSpan.FromHours(3), BusinessCalendar.AlwaysOpen.Elapsed(T0, T0.AddHours(3)));
    }

    [Theory]
    [InlineData("Europe/Berlin", "", "", "need Sla:BusinessHours:Weekly")]
    [InlineData("", "Mon-Fri 09:00-18:00", "", "TimeZone is required")]
    [InlineData("Mars/Olympus", "Mon-Fri 09:00-18:00", "", "not a known time zone")]
    [InlineData("Europe/Berlin", "Mon-Fri 18:00-09:00", "", "is not a range of hours")]
    [InlineData("Europe/Berlin", "Workdays 09:00-18:00", "", "is not days and hours")]
    [InlineData("Europe/Berlin", "Mon-Fri 09:00-18:00", "25.12.2026", "is not a date")]
    public void Bad_business_hours_are_refused_with_a_message_that_names_the_setting(string zone, string weekly, string holidays, string expected)
    {
        Assert.False(BusinessCalendar.TryParse(zone, weekly, holidays, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_validation_refuses_a_bad_calendar_and_escalation_settings()
    {
        var options = new SlaOptions { BusinessHours = { Weekly = "Mon-Fri 09:00-18:00" }, Escalation = { Email = "Leads <x@y>", TelegramChatId = "@leads" } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e!.Contains("Sla:BusinessHours:TimeZone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Sla:Escalation:Email", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.Contains("Sla:Escalation:TelegramChatId", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_ticket_warns_at_80_percent_and_is_due_at_100_percent_of_each_target()
    {
        var ticket = NewTicket();

        Assert.Equal(T0.AddMinutes(192), ticket.FirstResponseWarningAt);
        Assert.Equal(T0.AddHours(4), ticket.FirstResponseDueAt);
        Assert.Equal(T0.AddHours(72 * 0.8), ticket.ResolutionWarningAt);
        Assert.Equal(T0.AddHours(72), ticket.ResolutionDueAt);
        Assert.Equal(T0.AddMinutes(192), SlaClock.NextCheck(ticket));
    }

    [Fact]
    public void Waiting_on_the_customer_pauses_the_clock_and_the_resume_pushes_the_due_times_out()
    {
        var options = new SlaOptions();
        var ticket = NewTicket();

        var paused = SlaClock.Track(ticket, ticket with { Status = TicketStatus.WaitingOnCustomer }, T0.AddHours(1), options);
        var resumed = SlaClock.Track(paused, paused with { Status = TicketStatus.Open }, T0.AddHours(3), options);

        Assert.Equal(T0.AddHours(1), paused.PausedAt);
        Assert.Null(SlaClock.NextCheck(paused));
        Assert.Null(SlaClock.Check(paused, T0.AddHours(5), options));
        Assert.Null(resumed.PausedAt);
        Assert.Equal(TimeSpan.FromHours(2), resumed.PausedFor);
        Assert.Equal(T0.AddHours(6), resumed.FirstResponseDueAt);
        Assert.Equal(T0.AddMinutes(192 + 120), resumed.FirstResponseWarningAt);
        Assert.Equal(T0.AddHours(74), resumed.ResolutionDueAt);
    }

    [Fact]
    public void Check_records_the_warning_and_the_breach_once_and_raises_the_urgency_on_breach()
    {
        var options = new SlaOptions();
        var ticket = NewTicket();

        Assert.Null(SlaClock.Check(ticket, T0.AddMinutes(191), options));
        var warned = SlaClock.Check(ticket, T0.AddMinutes(193), options)!.Value.Ticket;
        Assert.Null(SlaClock.Check(warned, T0.AddMinutes(194), options));
        var (breached, audit) = SlaClock.Check(warned, T0.AddMinutes(241), options)!.Value;
        Assert.Null(SlaClock.Check(breached, T0.AddMinutes(242), options));

        Assert.Equal([("first_response", "warning"), ("first_response", "breached")], breached.SlaEvents.Select(e => (e.Target, e.Kind)));
        Assert.Equal(Urgency.High, breached.Urgency);
        Assert.Equal(T0.AddHours(24), breached.ResolutionDueAt);
        Assert.Equal([("sla", "sla", "first_response breached"), ("sla", "urgency", "normal → high")], audit.Select(a => (a.Agent, a.Action, a.Detail)));
        Assert.Equal(T0.AddHours(24 * 0.8), SlaClock.NextCheck(breached));
    }

    [Fact]
    public void A_response_within_the_target_is_met_and_a_late_one_the_monitor_never_saw_is_breached_when_it_lands()
    {
        var options = new SlaOptions();
        var ticket = NewTicket();

        var onTime = SlaClock.Track(ticket, ticket with { FirstRespondedAt = T0.AddHours(1) }, T0.AddHours(1), options);
        var late = SlaClock.Track(ticket, ticket with { FirstRespondedAt = T0.AddHours(5) }, T0.AddHours(5), options);
        var lateResolve = SlaClock.Track(late, late with { Status = TicketStatus.Resolved, ResolvedAt = T0.AddHours(80) }, T0.AddHours(80), options);

        Assert.Equal([("first_response", "met")], onTime.SlaEvents.Select(e => (e.Target, e.Kind)));
        Assert.Equal([("first_response", "breached", T0.AddHours(5))], late.SlaEvents.Select(e => (e.Target, e.Kind, e.At)));
        Assert.Equal(Urgency.Normal, late.Urgency);
        Assert.Equal(("resolution", "breached", T0.AddHours(80)), lateResolve.SlaEvents.Select(e => (e.Target, e.Kind, e.At)).Last());
    }

    [Fact]
    public void A_late_response_after_the_monitors_breach_records_nothing_more()
    {
        var options = new SlaOptions();
        var (breached, _) = SlaClock.Check(NewTicket(), T0.AddHours(4), options)!.Value;

        var answered = SlaClock.Track(breached, breached with { FirstRespondedAt = T0.AddHours(5) }, T0.AddHours(5), options);

        Assert.Single(answered.SlaEvents, e => e.Target == "first_response" && e.Kind == "breached");
        Assert.Equal(breached.SlaEvents.Count, answered.SlaEvents.Count);
    }

    [Fact]
    public void A_higher_urgency_recomputes_the_running_times_from_creation_and_never_gives_time_back()
    {
        var options = new SlaOptions();
        var ticket = NewTicket();

        var urgent = SlaClock.Recompute(ticket, Urgency.Urgent, options);
        var lowAgain = SlaClock.Recompute(urgent, Urgency.Low, options);

        Assert.Equal(T0.AddMinutes(15), urgent.FirstResponseDueAt);
        Assert.Equal(T0.AddMinutes(12), urgent.FirstResponseWarningAt);
        Assert.Equal(T0.AddHours(4), urgent.ResolutionDueAt);
        Assert.Equal(urgent.FirstResponseDueAt, lowAgain.FirstResponseDueAt);
    }

    [Fact]
    public void A_customers_message_that_raises_the_urgency_counts_the_new_targets_from_now_and_never_gives_time_back()
    {
        var options = new SlaOptions();
        var ticket = NewTicket();
        var now = T0.AddHours(1);

        var urgent = SlaClock.Raise(ticket, Urgency.Urgent, now, options);
        var high = SlaClock.Raise(urgent, Urgency.High, now.AddMinutes(1), options);

        Assert.Equal(Urgency.Urgent, urgent.Urgency);
        Assert.Equal(now.AddMinutes(15), urgent.FirstResponseDueAt);
        Assert.Equal(now.AddMinutes(12), urgent.FirstResponseWarningAt);
        Assert.Equal(now.AddHours(4), urgent.ResolutionDueAt);
        Assert.Equal((urgent.FirstResponseDueAt, urgent.ResolutionDueAt), (high.FirstResponseDueAt, high.ResolutionDueAt));
    }

    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.5, 5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9)]
    [InlineData(new double[] { 30, 300 }, 0.5, 30)]
    [InlineData(new double[] { 30, 300 }, 0.9, 300)]
    [InlineData(new double[] { 7 }, 0.9, 7)]
    public void Percentiles_are_nearest_rank(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, SlaReport.NearestRank(sorted, p));
    }
}
