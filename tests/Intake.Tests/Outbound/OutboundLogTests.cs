using Azure.Data.Tables;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Outbound;

/// <summary>The outbound records in a ticket's partition and the daily allowance, against real Azurite.</summary>
public class OutboundLogTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();

    private async Task<(TicketStore Store, OutboundLog Outbound)> StoresAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var store = new TicketStore(tables, _time, _prefix);
        await store.CreateTablesAsync(TestContext.Current.CancellationToken);
        return (store, new OutboundLog(tables, store, _time, _prefix));
    }

    private Ticket NewTicket() => TestTickets.Withdrawal(_time);

    [Fact]
    public async Task An_outbound_message_is_recorded_once_and_marked_after_sending()
    {
        var (store, outbound) = await StoresAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);

        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        var (record, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have received it.", TestContext.Current.CancellationToken);
        var (again, createdAgain) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have received it.", TestContext.Current.CancellationToken);
        await outbound.MarkAsync(ticket.Id, record, OutboundStatus.Sent, "sg-123", TestContext.Current.CancellationToken);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(OutboundStatus.Pending, again.Status);
        var marked = Assert.Single(await outbound.ListAsync(ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(OutboundStatus.Sent, marked.Status);
        Assert.Equal("sg-123", marked.ProviderMessageId);
        var messages = await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal([MessageDirection.Inbound, MessageDirection.Outbound], messages.Select(m => m.Direction));
        Assert.Equal(2, (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!.Ticket.MessageCount);
    }

    [Fact]
    public async Task An_outbound_message_no_longer_wanted_by_the_ticket_read_again_is_not_recorded()
    {
        var (store, outbound) = await StoresAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);
        var read = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        await store.UpdateAsync(ticket.Id, t => t with { Status = TicketStatus.Open }, TestContext.Current.CancellationToken);

        var recording = await outbound.RecordAsync(
            read, "survey", "survey", "email", "How did we do?", t => t.Status == TicketStatus.New, TestContext.Current.CancellationToken);

        Assert.Equal(OutboundRecordingStatus.NotWanted, recording.Status);
        Assert.Null(recording.Record);
        Assert.Empty(await outbound.ListAsync(ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(1, (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!.Ticket.MessageCount);
    }

    [Fact]
    public async Task An_outbound_message_still_wanted_after_a_concurrent_change_is_recorded_and_a_second_finds_it()
    {
        var (store, outbound) = await StoresAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);
        var read = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        await store.UpdateAsync(ticket.Id, t => t with { Subject = "Withdrawal still pending" }, TestContext.Current.CancellationToken);

        var first = await outbound.RecordAsync(read, "survey", "survey", "email", "How did we do?", t => t.Status == TicketStatus.New, TestContext.Current.CancellationToken);
        var second = await outbound.RecordAsync(read, "survey", "survey", "email", "How did we do?", t => t.Status == TicketStatus.New, TestContext.Current.CancellationToken);

        Assert.Equal(OutboundRecordingStatus.Recorded, first.Status);
        Assert.Equal(OutboundRecordingStatus.Existing, second.Status);
        Assert.Equal("survey", second.Record!.Key);
        Assert.Equal("Withdrawal still pending", (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!.Ticket.Subject);
    }

    [Fact]
    public async Task Automatic_messages_are_counted_per_address_and_day_without_losing_concurrent_counts()
    {
        var (_, outbound) = await StoresAsync();
        var day = new DateOnly(2026, 11, 23);

        var counts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => outbound.CountAutomaticReplyAsync("email:a@example.com", day, TestContext.Current.CancellationToken)));

        Assert.Equal(Enumerable.Range(1, 10), counts.Order());
        Assert.Equal(11, await outbound.CountAutomaticReplyAsync("email:a@example.com", day, TestContext.Current.CancellationToken));
        Assert.Equal(1, await outbound.CountAutomaticReplyAsync("email:a@example.com", day.AddDays(1), TestContext.Current.CancellationToken));
        Assert.Equal(1, await outbound.CountAutomaticReplyAsync("email:b@example.com", day, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_reply_threads_under_the_latest_mail_we_sent()
    {
        var at = DateTimeOffset.UnixEpoch;
        OutboundRecord[] outbound =
        [
            new("ack", "acknowledgement", "email", OutboundStatus.Sent, at, "ack@ex"),
            new("reply:3", "reply", "email", OutboundStatus.Sent, at.AddHours(1), "r3@ex"),
            new("reply:4", "reply", "email", OutboundStatus.Failed, at.AddHours(2)),
        ];

        Assert.Equal("r3@ex", OutboundLog.LatestSentMail(outbound));
        Assert.Null(OutboundLog.LatestSentMail([]));
    }
}
