using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Escalation;
using Intake.Messaging;
using Intake.Sla;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Tickets;

/// <summary>
/// The rows kept beside each ticket (its listing row, its due-time row) across a process killed at either side of the
/// ticket's write: a ticket that was written is always listed and watched; a write that never happened shows nowhere.
/// </summary>
public sealed class TicketProjectionTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Stops the store where a killed process would: right before the ticket's write, or right after it.</summary>
    private sealed class Kill(bool beforeTheWrite) : ITicketProjection
    {
        public bool Armed { get; set; } = true;

        public Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) =>
            Armed && beforeTheWrite ? throw new IOException("killed before the write") : Task.CompletedTask;

        public Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) =>
            Armed && !beforeTheWrite ? throw new IOException("killed after the write") : Task.CompletedTask;
    }

    /// <summary>
    /// The store with the listing and the SLA rows as projections, and the kill where it hurts most: after the others
    /// before the write (their rows are in place), and before them after it (theirs never run).
    /// </summary>
    private async Task<(TicketStore Store, TicketListing Listing, SlaStore Sla)> StoresAsync(Kill kill, bool beforeTheWrite)
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var listing = new TicketListing(tables, _prefix);
        var sla = new SlaStore(tables, _prefix);
        var store = new TicketStore(tables, _time, _prefix, beforeTheWrite ? [listing, sla, kill] : [kill, listing, sla]);
        await store.CreateTablesAsync(Cancellation);
        await sla.CreateTablesAsync(Cancellation);
        return (store, listing, sla);
    }

    private Ticket NewTicket() => TestTickets.Withdrawal(_time) with
    {
        FirstResponseDueAt = _time.GetUtcNow().AddHours(1),
        ResolutionDueAt = _time.GetUtcNow().AddHours(8),
    };

    private static async Task<IReadOnlyList<string>> ListedAsync(TicketListing listing, TicketStatus status) =>
        [.. (await listing.ListAsync(new TicketQuery(status, PageSize: 100), Cancellation)).Tickets.Select(t => t.Id)];

    private static async Task<IReadOnlyList<string>> WatchedAsync(SlaStore sla) =>
        [.. (await sla.DueChecksAsync(DateTimeOffset.MaxValue.AddDays(-1), 100, Cancellation)).Select(c => c.TicketId)];

    [Fact]
    public async Task A_ticket_written_by_a_process_killed_right_after_the_write_is_listed_and_watched_and_so_is_its_next_change()
    {
        var kill = new Kill(beforeTheWrite: false);
        var (store, listing, sla) = await StoresAsync(kill, beforeTheWrite: false);
        var ticket = NewTicket();

        await Assert.ThrowsAsync<IOException>(() => store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending.", "m-1"), Cancellation));

        Assert.NotNull(await store.GetAsync(ticket.Id, Cancellation));
        Assert.Equal([ticket.Id], await ListedAsync(listing, TicketStatus.New));
        Assert.Equal([ticket.Id], await WatchedAsync(sla));

        await Assert.ThrowsAsync<IOException>(() => store.UpdateAsync(ticket.Id, t => t with { Status = TicketStatus.Open }, Cancellation));

        Assert.Equal([ticket.Id], await ListedAsync(listing, TicketStatus.Open));
        Assert.Empty(await ListedAsync(listing, TicketStatus.New));
    }

    [Fact]
    public async Task A_write_killed_before_it_happened_shows_in_no_listing()
    {
        var kill = new Kill(beforeTheWrite: true);
        var (store, listing, sla) = await StoresAsync(kill, beforeTheWrite: true);
        var ticket = NewTicket();

        await Assert.ThrowsAsync<IOException>(() => store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending.", "m-1"), Cancellation));

        Assert.Null(await store.GetAsync(ticket.Id, Cancellation));
        Assert.Empty(await ListedAsync(listing, TicketStatus.New));

        // The due-time row it left is the monitor's to settle: the ticket is not there, so the row goes.
        var orphan = Assert.Single(await sla.DueChecksAsync(DateTimeOffset.MaxValue.AddDays(-1), 100, Cancellation));
        await sla.SettleCheckAsync(orphan, null, Cancellation);
        Assert.Empty(await WatchedAsync(sla));

        // The redelivery of the same message then writes it, listed and watched.
        kill.Armed = false;
        var created = await store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending.", "m-1"), Cancellation);
        Assert.Equal([created.Ticket.Id], await ListedAsync(listing, TicketStatus.New));
        Assert.Equal([created.Ticket.Id], await WatchedAsync(sla));
    }

    [Fact]
    public async Task A_first_response_and_a_resolution_whose_metrics_a_kill_cut_off_are_written_by_the_next_monitor_run()
    {
        var kill = new Kill(beforeTheWrite: false) { Armed = false };
        var (store, _, sla) = await StoresAsync(kill, beforeTheWrite: false);
        var ticket = (await store.CreateAsync(new NewTicket(NewTicket(), "My withdrawal is pending.", "m-1"), Cancellation)).Ticket;
        var monitor = new SlaMonitor(
            store,
            sla,
            new QueueOutbox(
                new OutboxStore(new TableServiceClient(azurite.ConnectionString), _time, _prefix),
                new StorageTicketQueue(new QueueServiceClient(azurite.ConnectionString), _prefix),
                NullLogger<QueueOutbox>.Instance),
            new ServiceCollection().AddOptions().BuildServiceProvider().GetRequiredService<IOptionsMonitor<SlaOptions>>(),
            _time,
            NullLogger<SlaMonitor>.Instance);
        async Task<SlaMetricsRow?> MetricsAsync() =>
            (await sla.ReadMetricsAsync(ticket.CreatedAt, ticket.CreatedAt, Cancellation)).SingleOrDefault();

        // The answer lands, and the process dies before the metrics row: the ticket has its response, the report not yet.
        kill.Armed = true;
        _time.Advance(TimeSpan.FromMinutes(20));
        var responded = _time.GetUtcNow();
        await Assert.ThrowsAsync<IOException>(() => store.UpdateAsync(
            ticket.Id, t => t with { Status = TicketStatus.WaitingOnCustomer, FirstRespondedAt = responded, FirstResponsePausedFor = TimeSpan.FromMinutes(3) }, Cancellation));
        Assert.Null(await MetricsAsync());

        // A marker younger than the grace may be a write under way: left alone; past it, the row is written from the ticket.
        Assert.Equal(0, (await monitor.RunOnceAsync(Cancellation)).MetricsRepaired);
        _time.Advance(SlaMonitor.OwedMetricsGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await monitor.RunOnceAsync(Cancellation)).MetricsRepaired);
        var row = await MetricsAsync();
        Assert.Equal((responded, TimeSpan.FromMinutes(3), (DateTimeOffset?)null), (row!.FirstRespondedAt, row.FirstResponsePaused, row.ResolvedAt));
        Assert.Equal(0, (await monitor.RunOnceAsync(Cancellation)).MetricsRepaired);

        // A resolution from waiting on the customer moves no due-time row (there was none): its marker alone brings it in.
        _time.Advance(TimeSpan.FromHours(1));
        var resolved = _time.GetUtcNow();
        await Assert.ThrowsAsync<IOException>(() => store.UpdateAsync(
            ticket.Id, t => t with { Status = TicketStatus.Resolved, ResolvedAt = resolved, ResolutionPausedFor = TimeSpan.FromMinutes(63) }, Cancellation));
        Assert.Null((await MetricsAsync())!.ResolvedAt);
        _time.Advance(SlaMonitor.OwedMetricsGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await monitor.RunOnceAsync(Cancellation)).MetricsRepaired);
        row = await MetricsAsync();
        Assert.Equal((responded, resolved, TimeSpan.FromMinutes(63)), (row!.FirstRespondedAt, row.ResolvedAt, row.ResolutionPaused));
    }

    [Fact]
    public async Task A_write_that_completes_writes_its_metrics_at_once_and_leaves_no_marker()
    {
        var kill = new Kill(beforeTheWrite: false) { Armed = false };
        var (store, _, sla) = await StoresAsync(kill, beforeTheWrite: false);
        var ticket = (await store.CreateAsync(new NewTicket(NewTicket(), "My withdrawal is pending.", "m-1"), Cancellation)).Ticket;

        _time.Advance(TimeSpan.FromMinutes(20));
        await store.UpdateAsync(ticket.Id, t => t with { FirstRespondedAt = _time.GetUtcNow() }, Cancellation);

        Assert.NotNull(Assert.Single(await sla.ReadMetricsAsync(ticket.CreatedAt, ticket.CreatedAt, Cancellation)).FirstRespondedAt);
        Assert.Empty(await sla.OwedMetricsAsync(DateTimeOffset.MaxValue.AddDays(-1), 10, Cancellation));
    }
}
