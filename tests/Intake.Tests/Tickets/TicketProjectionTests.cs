using Azure.Data.Tables;
using Intake.Sla;
using Intake.Tests.Integration;
using Intake.Tickets;
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
}
