using Azure.Data.Tables;
using Intake.Desk.Dashboard;
using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Intake.Tests.Desk.DashboardRows;

namespace Intake.Tests.Desk;

/// <summary>The dashboard read from Azurite, over tickets written through the ticket store with the SLA store as its projection.</summary>
public sealed class DashboardDataTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(At("2026-03-02"));
    private readonly string _prefix = TestStorage.NewPrefix();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private sealed record Stores(TicketStore Tickets, DashboardData Dashboard, SurveyStore Surveys, DeflectionStore Deflection);

    private async Task<Stores> StoresAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var sla = new SlaStore(tables, _prefix);
        var volume = new TicketVolume(tables, _prefix);
        var tickets = new TicketStore(tables, _time, _prefix, [sla, volume]);
        var surveys = new SurveyStore(tables, _prefix);
        var deflection = new DeflectionStore(tables, _prefix);
        await tickets.CreateTablesAsync(Cancellation);
        await sla.CreateTablesAsync(Cancellation);
        await surveys.CreateTableAsync(Cancellation);
        await deflection.CreateTableAsync(Cancellation);
        return new Stores(tickets, new DashboardData(volume, sla, surveys, deflection, Options.Create(new SlaOptions())), surveys, deflection);
    }

    /// <summary>A ticket created now on <paramref name="channel"/>, first response due in an hour, answered after <paramref name="answerAfter"/> (or not).</summary>
    private async Task<Ticket> TicketAsync(TicketStore store, string channel, Urgency urgency, TimeSpan? answerAfter)
    {
        var ticket = TestTickets.Withdrawal(_time, channel) with
        {
            Urgency = urgency,
            FirstResponseDueAt = _time.GetUtcNow().AddHours(1),
            ResolutionDueAt = _time.GetUtcNow().AddHours(24),
        };
        ticket = (await store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending.", Guid.NewGuid().ToString("N")), Cancellation)).Ticket;
        if (answerAfter is { } after)
        {
            var answered = ticket.CreatedAt + after;
            ticket = (await store.UpdateAsync(ticket.Id, t => t with { Status = TicketStatus.WaitingOnCustomer, FirstRespondedAt = answered }, Cancellation))!;
        }

        return ticket;
    }

    [Fact]
    public async Task The_dashboard_reads_the_tickets_surveys_and_deflection_of_the_days_asked_for()
    {
        var stores = await StoresAsync();
        var inTime = await TicketAsync(stores.Tickets, "email", Urgency.Urgent, TimeSpan.FromMinutes(10));
        _time.Advance(TimeSpan.FromHours(2));
        await TicketAsync(stores.Tickets, "telegram", Urgency.Normal, TimeSpan.FromMinutes(90));
        _time.Advance(TimeSpan.FromDays(1));
        await TicketAsync(stores.Tickets, "email", Urgency.Normal, TimeSpan.FromMinutes(20));

        // A day after the range.
        _time.Advance(TimeSpan.FromDays(1));
        await TicketAsync(stores.Tickets, "x", Urgency.Low, TimeSpan.FromMinutes(5));
        await stores.Surveys.PutAsync(Survey("2026-03-02", "email", "withdrawal", 5), Cancellation);
        await stores.Surveys.PutAsync(Survey("2026-03-03", "telegram", "withdrawal", null), Cancellation);
        await stores.Deflection.RecordOfferAsync(inTime, 2, Cancellation);
        await stores.Deflection.RecordSolvedAsync(inTime, At("2026-03-02", 30), Cancellation);

        var report = await stores.Dashboard.LoadAsync(Day("2026-03-02"), Day("2026-03-03"), Cancellation);

        Assert.Equal(["email", "telegram"], report.Channels);
        Assert.Equal([(1, 1), (1, 0)], report.Volume.Select(v => (v.ByChannel["email"], v.ByChannel["telegram"])));
        Assert.Equal((1, 0), (report.Sla.ByUrgency["urgent"].FirstResponse.Met, report.Sla.ByUrgency["urgent"].FirstResponse.Missed));
        Assert.Equal((1, 1), (report.Sla.ByUrgency["normal"].FirstResponse.Met, report.Sla.ByUrgency["normal"].FirstResponse.Missed));
        Assert.Equal((20.0, 90.0), (report.Sla.Overall.FirstResponse.MedianMinutes, report.Sla.Overall.FirstResponse.P90Minutes));
        Assert.Equal(new CsatFigures(1, 1, 1, 1.0, 1.0), report.Csat.ByChannel["email"]);
        Assert.Equal(new CsatFigures(1, 0, 0, null, 0.0), report.Csat.ByChannel["telegram"]);
        Assert.Equal(new DeflectionFigures(1, 1, 1.0), report.Deflection?.Total);
    }

    [Fact]
    public async Task A_ticket_is_counted_from_its_creation_while_it_still_waits_for_an_answer_and_once_after_it()
    {
        var stores = await StoresAsync();
        var waiting = await TicketAsync(stores.Tickets, "email", Urgency.High, answerAfter: null);

        var before = await stores.Dashboard.LoadAsync(Day("2026-03-02"), Day("2026-03-02"), Cancellation);
        _time.Advance(TimeSpan.FromMinutes(15));
        await stores.Tickets.UpdateAsync(waiting.Id, t => t with { Status = TicketStatus.WaitingOnCustomer, FirstRespondedAt = _time.GetUtcNow() }, Cancellation);
        var after = await stores.Dashboard.LoadAsync(Day("2026-03-02"), Day("2026-03-02"), Cancellation);

        // The SLA metrics row comes only with the first response; the volume counts the ticket before it, and once.
        Assert.Equal(1, before.Volume.Single().Total);
        Assert.Equal(0, before.Sla.Overall.Tickets);
        Assert.Equal(1, after.Volume.Single().Total);
        Assert.Null(before.Deflection);
    }

    [Fact]
    public async Task A_range_longer_than_92_days_is_refused()
    {
        var stores = await StoresAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => stores.Dashboard.LoadAsync(Day("2026-01-01"), Day("2026-04-03"), Cancellation));
        Assert.Equal(92, (await stores.Dashboard.LoadAsync(Day("2026-01-01"), Day("2026-04-02"), Cancellation)).Volume.Count);
    }

    [Fact]
    public async Task The_host_registers_the_dashboard_data_over_its_stores()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Agents.AgentApi.Settings());
        await host.Services.GetRequiredService<SurveyStore>().PutAsync(Survey("2026-03-02", "email", "deposit", 4), Cancellation);

        var report = await host.Services.GetRequiredService<DashboardData>().LoadAsync(Day("2026-03-02"), Day("2026-03-02"), Cancellation);

        Assert.Equal(new CsatFigures(1, 1, 1, 1.0, 1.0), report.Csat.Overall);
    }
}
