using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Intake.Escalation;
using Intake.Messaging;
using Intake.Tests.Agents;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Escalation;

/// <summary>The SLA monitor, escalation and metrics through the real host over Azurite, notices through the fake SendGrid and Telegram.</summary>
public sealed class SlaMonitorTests(AzuriteFixture azurite)
{
    private const string Leads = "leads@exchange.example";
    private const string LeadsChat = "-100123456";
    private const string Question = "How do I change the display name on my profile?";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> SlaSettings(FakeTelegram? telegram = null, Dictionary<string, string>? more = null)
    {
        var settings = Settings(more);
        settings["Sla:CheckInterval"] = "01:00:00";
        settings["Sla:Escalation:Email"] = Leads;
        if (telegram is not null)
        {
            foreach (var (key, value) in telegram.Settings("secret-token_1"))
            {
                settings[key] = value;
            }

            settings["Sla:Escalation:TelegramChatId"] = LeadsChat;
        }

        return settings;
    }

    private static IReadOnlyList<SendGridRequest> LeadMails(IntakeHost host) => [.. host.SendGrid.Mails.Where(m => m.ToEmail == Leads)];

    private static JsonElement Sla(AgentResponse ticket) => ticket.Json.GetProperty("sla");

    private static DateTimeOffset Time(AgentResponse ticket, string name) => ticket.Json.GetProperty(name).GetDateTimeOffset();

    [Fact]
    public async Task The_servers_own_monitor_runs_every_check_interval_and_warns_without_being_called()
    {
        var clock = new ShiftedClock();
        var settings = SlaSettings();
        settings["Sla:CheckInterval"] = "00:00:00.2";
        await using var host = await IntakeHost.StartAsync(azurite, settings, time: clock);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, Question);

        clock.Advance(TimeSpan.FromMinutes(193));
        var warned = await IntakeHost.WaitForAsync(
            async () => Sla(await GetAsync(client, accepted.TicketId)).GetProperty("events").GetArrayLength() > 0 ? await GetAsync(client, accepted.TicketId) : null,
            "the server's monitor to record the warning");

        var warning = Assert.Single(Sla(warned).GetProperty("events").EnumerateArray());
        Assert.Equal(("first_response", "warning"), (warning.GetProperty("target").GetString(), warning.GetProperty("kind").GetString()));
        await IntakeHost.WaitForAsync(() => Task.FromResult(LeadMails(host).Count == 1 ? "" : null), "the warning's notice");
    }

    [Fact]
    public async Task Warning_and_breach_fire_once_each_at_the_right_minute_and_the_breach_escalates_one_urgency_up()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(telegram), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);
        var created = Time(await GetAsync(client, accepted.TicketId), "createdAt");

        clock.Advance(TimeSpan.FromMinutes(191));
        Assert.Equal(0, (await monitor.RunOnceAsync(Cancellation)).Due);
        clock.Advance(TimeSpan.FromMinutes(2));
        var warned = await monitor.RunOnceAsync(Cancellation);
        var again = await monitor.RunOnceAsync(Cancellation);
        clock.Advance(TimeSpan.FromMinutes(48));
        var breached = await monitor.RunOnceAsync(Cancellation);
        var afterBreach = await monitor.RunOnceAsync(Cancellation);
        await IntakeHost.WaitForAsync(() => Task.FromResult(LeadMails(host).Count >= 2 && telegram.Calls("sendMessage").Count >= 2 ? "" : null), "two notices on each channel");
        await Task.Delay(500, Cancellation);

        Assert.Equal((1, 1, 0), (warned.Due, warned.EventsRecorded, warned.Escalations));
        Assert.Equal(0, again.Due);
        Assert.Equal((1, 1, 1), (breached.Due, breached.EventsRecorded, breached.Escalations));
        Assert.Equal(0, afterBreach.EventsRecorded);
        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Equal("high", ticket.String("urgency"));
        Assert.Equal(created.AddHours(24), Time(ticket, "resolutionDueAt"));
        Assert.Equal(created.AddHours(4), Time(ticket, "firstResponseDueAt"));
        Assert.Equal(
            [("first_response", "warning", "normal"), ("first_response", "breached", "normal")],
            Sla(ticket).GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("target").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("urgency").GetString())));
        Assert.Contains(ticket.Events, e => e.GetProperty("agent").GetString() == "sla" && e.GetProperty("detail").GetString() == "normal → high");
        var mails = LeadMails(host);
        Assert.Equal(2, mails.Count);
        Assert.Contains("SLA 80 % used: first response", mails[0].Subject, StringComparison.Ordinal);
        Assert.Contains("SLA breached: first response", mails[1].Subject, StringComparison.Ordinal);
        Assert.Equal(2, telegram.Calls("sendMessage").Count);
        Assert.All(telegram.Calls("sendMessage"), call => Assert.Equal(LeadsChat, call.ChatId));
        Assert.All(mails, mail => Assert.DoesNotContain("display name", mail.Text, StringComparison.OrdinalIgnoreCase));
        Assert.All(mails, mail => Assert.Contains(accepted.Reference, mail.Text, StringComparison.Ordinal));

        // The notices are the SLA's, not part of the customer's conversation.
        Assert.Equal(4, Sla(ticket).GetProperty("notifications").GetArrayLength());
        Assert.DoesNotContain(ticket.Outbound, o => o.GetProperty("kind").GetString() == "escalation");
        Assert.Equal(2, ticket.Messages.Count());
    }

    [Fact]
    public async Task A_warning_notice_that_fails_goes_out_once_on_the_queues_retry_and_holds_up_no_other_ticket()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:RetryDelay"] = "00:00:00.050" }), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var first = await SubmitAsync(client, Question);
        var second = await SubmitAsync(client, Question);
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count >= 2 ? "" : null), "the two acknowledgements");
        clock.Advance(TimeSpan.FromMinutes(193));
        host.SendGrid.RespondNextWith(500);

        var run = await monitor.RunOnceAsync(Cancellation);
        var mails = await IntakeHost.WaitForAsync(() => Task.FromResult(LeadMails(host).Count >= 3 ? LeadMails(host) : null), "both notices, one after a retry");
        await Task.Delay(300, Cancellation);

        Assert.Equal(2, run.Due);
        Assert.Equal(0, (await monitor.RunOnceAsync(Cancellation)).Due);
        Assert.Equal(3, LeadMails(host).Count);

        // The first request was refused; its ticket's notice went again, the other ticket's once.
        var failed = mails[0].CustomArg("ticketId");
        var perTicket = LeadMails(host).GroupBy(m => m.CustomArg("ticketId")).ToDictionary(g => g.Key ?? "", g => g.Count());
        Assert.Equal(2, perTicket[failed!]);
        Assert.Equal(1, perTicket[failed == first.TicketId ? second.TicketId : first.TicketId]);
    }

    [Fact]
    public async Task A_breached_ticket_is_queued_on_the_next_urgencys_queue_with_a_deterministic_id()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, Question);

        clock.Advance(TimeSpan.FromMinutes(241));
        await host.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(Cancellation);

        var queue = new QueueClient(host.ConnectionString, host.Prefix + "-" + TicketQueues.NameFor(Intake.Triage.Urgency.High), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var peeked = (await queue.PeekMessagesAsync(10, Cancellation)).Value;
        var message = Assert.Single(peeked);
        Assert.True(TicketQueueMessage.TryParse(message.Body.ToString(), out var parsed));
        Assert.Equal((accepted.TicketId + ":escalated:1", TicketEvent.Escalated, Intake.Triage.Urgency.High), (parsed!.MessageId, parsed.Event, parsed.Urgency));
    }

    [Fact]
    public async Task Waiting_on_the_customer_pauses_the_clock_and_the_resume_pushes_the_due_times_out()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);
        var before = await GetAsync(client, accepted.TicketId);

        var paused = await PatchAsync(client, accepted.TicketId, new { agent = "Ana", status = "waiting_on_customer" });
        clock.Advance(TimeSpan.FromHours(5));
        var whilePaused = await monitor.RunOnceAsync(Cancellation);
        var resumed = await PatchAsync(client, accepted.TicketId, new { agent = "Ana", status = "open" });

        Assert.NotEqual(JsonValueKind.Null, Sla(paused).GetProperty("pausedAt").ValueKind);
        Assert.Equal(0, whilePaused.Due);
        Assert.Equal(JsonValueKind.Null, Sla(resumed).GetProperty("pausedAt").ValueKind);
        var pushed = Time(resumed, "firstResponseDueAt") - Time(before, "firstResponseDueAt");
        Assert.InRange(pushed, TimeSpan.FromHours(5), TimeSpan.FromHours(5) + TimeSpan.FromSeconds(10));
        Assert.Equal(pushed, Time(resumed, "resolutionDueAt") - Time(before, "resolutionDueAt"));
        Assert.Empty(Sla(resumed).GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task An_urgency_patch_recomputes_the_due_times_and_the_monitor_reads_only_the_tickets_that_are_due()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(), time: clock);
        using var client = host.CreateClient();
        var urgent = await SubmitAsync(client, Question);
        await SubmitAsync(client, Question + " (second)");
        await SubmitAsync(client, Question + " (third)");

        var patched = await PatchAsync(client, urgent.TicketId, new { agent = "Ana", urgency = "urgent" });
        clock.Advance(TimeSpan.FromMinutes(13));
        var run = await host.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(Cancellation);

        var created = Time(patched, "createdAt");
        Assert.Equal(created.AddMinutes(15), Time(patched, "firstResponseDueAt"));
        Assert.Equal(created.AddMinutes(12), Sla(patched).GetProperty("firstResponseWarningAt").GetDateTimeOffset());
        Assert.Equal(created.AddHours(4), Time(patched, "resolutionDueAt"));
        Assert.Equal((1, 1, 1), (run.Due, run.TicketsRead, run.EventsRecorded));
    }

    [Fact]
    public async Task The_metrics_report_attainment_and_nearest_rank_times_per_urgency_and_channel()
    {
        // Exact minutes, and no FakeTimeProvider: advancing one fires the server's own monitor (its timer runs on the host's
        // clock) in the middle of the steps below.
        var time = new StoppedClock(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: time);
        using var client = host.CreateClient();
        var t1 = await SubmitAsync(client, Question);
        var t2 = await SubmitAsync(client, Question + " (second)");
        var t3 = await SubmitAsync(client, Question + " (third)");
        await PatchAsync(client, t3.TicketId, new { agent = "Ana", urgency = "urgent" });

        time.Advance(TimeSpan.FromMinutes(30));
        await ReplyAsync(client, t1.TicketId, "Settings, then Profile.");
        time.Advance(TimeSpan.FromMinutes(60));
        await ResolveAsync(client, t1.TicketId);
        time.Advance(TimeSpan.FromMinutes(210));
        await ReplyAsync(client, t2.TicketId, "Settings, then Profile.");
        await host.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(Cancellation);

        using var response = await client.SendAsync(Request("/api/metrics/sla?from=2026-11-01&to=2026-11-03"), Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement;

        // First response: t1 met in 30 min, t2 late (300 min), t3 breached unanswered. Resolution: t1 met in 90 min, t3 breached.
        Assert.Equal("nearest-rank", report.GetProperty("percentile").GetString());
        var overall = report.GetProperty("overall");
        Assert.Equal(3, overall.GetProperty("tickets").GetInt32());
        AssertTarget(overall.GetProperty("firstResponse"), 1, 2, 0.3333, 30, 300);
        AssertTarget(overall.GetProperty("resolution"), 1, 1, 0.5, 90, 90);
        var normal = report.GetProperty("byUrgency").GetProperty("normal");
        AssertTarget(normal.GetProperty("firstResponse"), 1, 1, 0.5, 30, 300);
        var urgent = report.GetProperty("byUrgency").GetProperty("urgent");
        AssertTarget(urgent.GetProperty("firstResponse"), 0, 1, 0, null, null);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("byUrgency").GetProperty("low").GetProperty("firstResponse").GetProperty("attainment").ValueKind);
        AssertTarget(report.GetProperty("byChannel").GetProperty("web").GetProperty("firstResponse"), 1, 2, 0.3333, 30, 300);
    }

    [Fact]
    public async Task On_business_hours_a_friday_evening_ticket_waits_out_the_weekend_and_holiday_then_warns_and_breaches_at_the_business_minute()
    {
        // Singapore (UTC+8), Mon-Fri 09:00-18:00, Monday 7 December a holiday: the clock starts Tuesday 09:00 (01:00Z).
        var clock = new ShiftedClock();
        MoveTo(clock, new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero));
        await using var host = await IntakeHost.StartAsync(
            azurite,
            SlaSettings(more: new()
            {
                ["Sla:BusinessHours:TimeZone"] = "Asia/Singapore",
                ["Sla:BusinessHours:Weekly"] = "Mon-Fri 09:00-18:00",
                ["Sla:BusinessHours:Holidays"] = "2026-12-07",
            }),
            time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);
        var created = await GetAsync(client, accepted.TicketId);

        List<SlaRunResult> idle = [];
        foreach (var at in new[] { Utc(12, 5, 4), Utc(12, 6, 4), Utc(12, 7, 9), Utc(12, 7, 15, 59), Utc(12, 8, 4, 11) })
        {
            MoveTo(clock, at);
            idle.Add(await monitor.RunOnceAsync(Cancellation));
        }

        MoveTo(clock, Utc(12, 8, 4, 13));
        var warned = await monitor.RunOnceAsync(Cancellation);
        MoveTo(clock, Utc(12, 8, 4, 59));
        var beforeDue = await monitor.RunOnceAsync(Cancellation);
        MoveTo(clock, Utc(12, 8, 5, 1));
        var breached = await monitor.RunOnceAsync(Cancellation);
        MoveTo(clock, Utc(12, 8, 5, 30));
        await ReplyAsync(client, accepted.TicketId, "Settings, then Profile.");
        using var response = await client.SendAsync(Request("/api/metrics/sla?from=2026-12-04&to=2026-12-05"), Cancellation);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement;

        Assert.Equal(Utc(12, 8, 5), Time(created, "firstResponseDueAt"));
        Assert.Equal(Utc(12, 8, 4, 12), Sla(created).GetProperty("firstResponseWarningAt").GetDateTimeOffset());
        Assert.Equal(Utc(12, 17, 10), Time(created, "resolutionDueAt"));
        Assert.All(idle, run => Assert.Equal(0, run.Due));
        Assert.Equal((1, 1, 0), (warned.Due, warned.EventsRecorded, warned.Escalations));
        Assert.Equal(0, beforeDue.Due);
        Assert.Equal((1, 1, 1), (breached.Due, breached.EventsRecorded, breached.Escalations));
        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Equal("high", ticket.String("urgency"));

        // High is 24 business hours from the opening: Tuesday 9 h, Wednesday 9 h, Thursday 6 h, so 15:00 local.
        Assert.Equal(Utc(12, 10, 7), Time(ticket, "resolutionDueAt"));
        Assert.Equal(
            [("first_response", "warning"), ("first_response", "breached")],
            Sla(ticket).GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("target").GetString(), e.GetProperty("kind").GetString())));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(report.GetProperty("businessHours").GetBoolean());
        var first = report.GetProperty("overall").GetProperty("firstResponse");
        Assert.Equal((0, 1), (first.GetProperty("met").GetInt32(), first.GetProperty("missed").GetInt32()));

        // Tuesday 09:00 to 13:30 local: 270 business minutes (plus the seconds the test itself took), not the 4 days since Friday.
        Assert.InRange(first.GetProperty("medianMinutes").GetDouble(), 270, 272);
    }

    [Fact]
    public async Task A_late_reply_and_resolve_the_monitor_never_saw_record_one_breach_each_and_count_as_missed()
    {
        var clock = new ShiftedClock();
        MoveTo(clock, Utc(11, 2, 0));
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);

        clock.Advance(TimeSpan.FromHours(5));
        var replied = await ReplyAsync(client, accepted.TicketId, "Settings, then Profile.");
        var afterReply = await monitor.RunOnceAsync(Cancellation);
        clock.Advance(TimeSpan.FromHours(70));
        var resolved = await ResolveAsync(client, accepted.TicketId);
        var afterResolve = await monitor.RunOnceAsync(Cancellation);
        using var response = await client.SendAsync(Request("/api/metrics/sla?from=2026-11-01&to=2026-11-03"), Cancellation);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement;

        Assert.Equal(
            [("first_response", "breached", Time(resolved, "firstRespondedAt")), ("resolution", "breached", Time(resolved, "resolvedAt"))],
            Sla(resolved).GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("target").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("at").GetDateTimeOffset())));
        Assert.Single(Sla(replied).GetProperty("events").EnumerateArray());
        Assert.Equal("normal", resolved.String("urgency"));
        Assert.Equal((0, 0), (afterReply.EventsRecorded, afterReply.Escalations));
        Assert.Equal((0, 0), (afterResolve.EventsRecorded, afterResolve.Escalations));
        Assert.Contains(resolved.Events, e => e.GetProperty("agent").GetString() == "sla" && e.GetProperty("detail").GetString() == "first_response breached");
        Assert.Empty(LeadMails(host));
        var overall = report.GetProperty("overall");
        Assert.Equal((0, 1), (overall.GetProperty("firstResponse").GetProperty("met").GetInt32(), overall.GetProperty("firstResponse").GetProperty("missed").GetInt32()));
        Assert.Equal((0, 1), (overall.GetProperty("resolution").GetProperty("met").GetInt32(), overall.GetProperty("resolution").GetProperty("missed").GetInt32()));
        Assert.InRange(overall.GetProperty("firstResponse").GetProperty("medianMinutes").GetDouble(), 300, 301);
    }

    [Fact]
    public async Task A_reply_after_the_monitors_breach_and_a_customer_follow_up_record_no_second_breach()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);

        clock.Advance(TimeSpan.FromMinutes(241));
        await monitor.RunOnceAsync(Cancellation);
        await SubmitAsync(client, "Any news on my display name?", reference: accepted.Reference);
        clock.Advance(TimeSpan.FromMinutes(5));
        await ReplyAsync(client, accepted.TicketId, "Settings, then Profile.");
        var again = await monitor.RunOnceAsync(Cancellation);

        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Single(Sla(ticket).GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "breached");
        Assert.DoesNotContain(Sla(ticket).GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "met");
        Assert.Equal(3, ticket.Messages.Count(m => m.GetProperty("direction").GetString() is "inbound" or "outbound"));
        Assert.Equal(0, again.EventsRecorded);
    }

    [Fact]
    public async Task One_run_pages_through_every_due_ticket_beyond_a_page()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        monitor.PageSize = 2;
        List<string> ids = [];
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await SubmitAsync(client, $"{Question} ({i})")).TicketId);
        }

        clock.Advance(TimeSpan.FromMinutes(193));
        var run = await monitor.RunOnceAsync(Cancellation);
        var again = await monitor.RunOnceAsync(Cancellation);

        Assert.Equal((5, 5, 5, 3), (run.Due, run.TicketsRead, run.EventsRecorded, run.Pages));
        Assert.Equal(0, again.Due);
        foreach (var id in ids)
        {
            Assert.Single(Sla(await GetAsync(client, id)).GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "warning");
        }
    }

    [Fact]
    public async Task A_reopened_ticket_runs_its_resolution_clock_again_from_the_reopening_and_keeps_the_earlier_met()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var monitor = host.Services.GetRequiredService<SlaMonitor>();
        var accepted = await SubmitAsync(client, Question);
        await ReplyAsync(client, accepted.TicketId, "Settings, then Profile.");
        await ResolveAsync(client, accepted.TicketId);

        clock.Advance(TimeSpan.FromHours(10));
        var reopened = await ReopenAsync(client, accepted.TicketId);
        clock.Advance(TimeSpan.FromHours(58));
        var warned = await monitor.RunOnceAsync(Cancellation);

        // The queued warning, handled as the worker would (it is off here, so that nothing else runs meanwhile).
        var stored = (await host.Services.GetRequiredService<Intake.Tickets.TicketStore>().GetAsync(accepted.TicketId, Cancellation))!.Ticket;
        await host.Services.GetRequiredService<TicketWorker>().HandleAsync(
            TicketQueueMessage.Warned(stored.Id, stored.Reference, stored.Urgency, stored.Channel, 1), Cancellation);
        clock.Advance(TimeSpan.FromHours(15));
        var breached = await monitor.RunOnceAsync(Cancellation);

        var reopenedAt = reopened.Events.Last(e => e.GetProperty("action").GetString() == "reopened").GetProperty("at").GetDateTimeOffset();
        Assert.InRange(Time(reopened, "resolutionDueAt") - reopenedAt, TimeSpan.FromHours(72) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(72));
        Assert.Equal((1, 1), (warned.Due, warned.EventsRecorded));
        Assert.Equal((1, 1, 1), (breached.Due, breached.EventsRecorded, breached.Escalations));
        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Equal(
            [("first_response", "met", 0), ("resolution", "met", 0), ("resolution", "warning", 1), ("resolution", "breached", 1)],
            Sla(ticket).GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("target").GetString(), e.GetProperty("kind").GetString(), e.GetProperty("round").GetInt32())));

        // The second round's warning has its own notice (the first round had none to send).
        Assert.Single(LeadMails(host), m => m.Subject?.Contains("SLA 80 % used: resolution", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_customer_writing_within_seven_days_of_the_resolution_restarts_the_resolution_clock()
    {
        var clock = new ShiftedClock();
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings(more: new() { ["Worker:Enabled"] = "false" }), time: clock);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, Question);
        await ReplyAsync(client, accepted.TicketId, "Settings, then Profile.");
        var resolved = await ResolveAsync(client, accepted.TicketId);

        clock.Advance(TimeSpan.FromDays(3));
        await SubmitAsync(client, "It still shows the old name.", reference: accepted.Reference);

        var ticket = await GetAsync(client, accepted.TicketId);
        Assert.Equal("open", ticket.String("status"));
        Assert.True(Time(ticket, "resolutionDueAt") - Time(resolved, "resolutionDueAt") >= TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        Assert.Equal(JsonValueKind.Null, ticket.Json.GetProperty("resolvedAt").ValueKind);
        Assert.Contains(Sla(ticket).GetProperty("events").EnumerateArray(), e => e.GetProperty("target").GetString() == "resolution" && e.GetProperty("kind").GetString() == "met");
    }

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static void MoveTo(ShiftedClock clock, DateTimeOffset at) => clock.Advance(at - clock.GetUtcNow());

    [Theory]
    [InlineData("/api/metrics/sla?from=2026-11-03&to=2026-11-01", "to")]
    [InlineData("/api/metrics/sla?from=2026-01-01&to=2026-11-01", "from")]
    [InlineData("/api/metrics/sla?from=yesterday", "from")]
    public async Task Bad_ranges_get_400_with_the_field_named(string path, string field)
    {
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings());
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Request(path), Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task The_metrics_need_the_api_key()
    {
        await using var host = await IntakeHost.StartAsync(azurite, SlaSettings());
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/metrics/sla", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static HttpRequestMessage Request(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("x-api-key", ApiKey);
        return request;
    }

    private static void AssertTarget(JsonElement target, int met, int missed, double? attainment, double? median, double? p90)
    {
        Assert.Equal(met, target.GetProperty("met").GetInt32());
        Assert.Equal(missed, target.GetProperty("missed").GetInt32());
        Assert.Equal(attainment, Number(target.GetProperty("attainment")));
        Assert.Equal(median, Number(target.GetProperty("medianMinutes")));
        Assert.Equal(p90, Number(target.GetProperty("p90Minutes")));
    }

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDouble();
}
