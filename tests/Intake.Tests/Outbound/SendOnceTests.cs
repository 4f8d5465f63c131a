using Azure.Data.Tables;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Outbound;

/// <summary>The send-once protocol against a real ticket store on Azurite; the send itself is a function the test gives.</summary>
public class SendOnceTests(AzuriteFixture azurite)
{
    private const string MessageId = "01JT.acknowledgement.0123456789abcdef@exchange.example";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();
    private TicketStore? _store;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Task<SendResult> Sent() => Task.FromResult(new SendResult(OutboundStatus.Sent, MessageId));

    private static Task<SendResult> NeverCalled() => throw new InvalidOperationException("A message that is done must not be sent again.");

    private async Task<(OutboundLog Outbound, StoredTicket Stored)> TicketAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        var store = new TicketStore(tables, _time, _prefix);
        _store = store;
        await store.CreateTablesAsync(Cancellation);
        var ticket = TestTickets.Withdrawal(_time, "email");
        await store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending.", "inbound-1@customer.example"), Cancellation);
        return (new OutboundLog(tables, store, _time, _prefix), (await store.GetAsync(ticket.Id, Cancellation))!);
    }

    private static async Task<OutboundStatus> StatusAsync(OutboundLog outbound, string ticketId) =>
        Assert.Single(await outbound.ListAsync(ticketId, Cancellation)).Status;

    private async Task<bool> LinkedAsync() =>
        await _store!.FindByProviderMessageAsync("email", MessageId, Cancellation) is not null;

    [Fact]
    public async Task A_message_this_caller_recorded_is_sent_marked_and_its_mail_linked_to_the_ticket()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        var result = await outbound.SendOnceAsync(stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, record, created, Cancellation), MailThreading.Sent, Sent, Cancellation);

        Assert.Equal(new SendResult(OutboundStatus.Sent, MessageId), result);
        var marked = Assert.Single(await outbound.ListAsync(stored.Ticket.Id, Cancellation));
        Assert.Equal((OutboundStatus.Sent, MessageId), (marked.Status, marked.ProviderMessageId));
        Assert.Equal(stored.Ticket.Id, (await _store!.FindByProviderMessageAsync("email", MessageId, Cancellation))?.Ticket.Id);
    }

    [Theory]
    [InlineData(OutboundStatus.Sent)]
    [InlineData(OutboundStatus.NotConfigured)]
    [InlineData(OutboundStatus.Bounced)]
    [InlineData(OutboundStatus.Suppressed)]
    public async Task A_message_done_before_is_not_sent_again(OutboundStatus status)
    {
        var (outbound, stored) = await TicketAsync();
        var (record, _) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);
        await outbound.MarkAsync(stored.Ticket.Id, record, status, null, Cancellation);
        var (again, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        var result = await outbound.SendOnceAsync(stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, again, created, Cancellation), MailThreading.SentOrEarlier, NeverCalled, Cancellation);

        Assert.Null(result);
        Assert.Equal(status, await StatusAsync(outbound, stored.Ticket.Id));
    }

    [Fact]
    public async Task A_message_a_live_attempt_holds_is_not_sent_and_the_delivery_fails_so_that_the_queue_brings_it_back()
    {
        var (outbound, stored) = await TicketAsync();
        await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);
        _time.Advance(OutboundLog.AttemptLease - TimeSpan.FromSeconds(1));
        var (again, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        await Assert.ThrowsAsync<OutboundInFlightException>(async () => await outbound.SendOnceAsync(
            stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, again, created, Cancellation), MailThreading.SentOrEarlier, NeverCalled, Cancellation));

        Assert.False(created);
        Assert.Equal(OutboundStatus.Pending, await StatusAsync(outbound, stored.Ticket.Id));
    }

    [Fact]
    public async Task A_message_whose_attempt_died_before_its_mark_is_taken_over_once_its_lease_runs_out_by_one_delivery_only()
    {
        var (outbound, stored) = await TicketAsync();
        await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);
        _time.Advance(OutboundLog.AttemptLease);
        var (again, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => outbound.ClaimAsync(stored.Ticket.Id, again, created, Cancellation)));
        var mine = Assert.Single(claims, c => c.Mine is not null);
        var result = await outbound.SendOnceAsync(stored.Ticket.Id, mine, MailThreading.Sent, Sent, Cancellation);

        Assert.Equal(OutboundStatus.Sent, result?.Status);
        Assert.Equal(OutboundStatus.Sent, await StatusAsync(outbound, stored.Ticket.Id));
        Assert.All(claims.Where(c => c.Mine is null), c => Assert.Equal(OutboundStatus.Pending, c.Done?.Status));
    }

    [Fact]
    public async Task A_message_an_earlier_attempt_failed_is_sent_again()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, _) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);
        await outbound.MarkAsync(stored.Ticket.Id, record, OutboundStatus.Failed, null, Cancellation);
        var (again, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        var result = await outbound.SendOnceAsync(stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, again, created, Cancellation), MailThreading.Sent, Sent, Cancellation);

        Assert.Equal(OutboundStatus.Sent, result?.Status);
        Assert.Equal(OutboundStatus.Sent, await StatusAsync(outbound, stored.Ticket.Id));
    }

    [Fact]
    public async Task A_send_that_throws_marks_the_record_failed_then_the_callers_own_and_the_fault_goes_on_to_the_queue()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, created) = await outbound.RecordAsync(stored, "survey", "survey", "email", "How did we do?", Cancellation);
        List<(OutboundStatus Status, OutboundStatus RecordStatus)> followed = [];

        var claim = await outbound.ClaimAsync(stored.Ticket.Id, record, created, Cancellation);
        await Assert.ThrowsAsync<HttpRequestException>(() => outbound.SendOnceAsync(
            stored.Ticket.Id,
            claim,
            MailThreading.Sent,
            () => throw new HttpRequestException("SendGrid answered 503."),
            async (status, _) => followed.Add((status, await StatusAsync(outbound, stored.Ticket.Id))),
            Cancellation));

        Assert.Equal([(OutboundStatus.Failed, OutboundStatus.Failed)], followed);
        Assert.False(await LinkedAsync());
    }

    [Fact]
    public async Task The_callers_own_record_follows_the_mark_and_comes_before_the_link()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, created) = await outbound.RecordAsync(stored, "survey", "survey", "email", "How did we do?", Cancellation);
        List<(OutboundStatus Status, OutboundStatus RecordStatus, bool Linked)> followed = [];

        await outbound.SendOnceAsync(
            stored.Ticket.Id,
            await outbound.ClaimAsync(stored.Ticket.Id, record, created, Cancellation),
            MailThreading.Sent,
            Sent,
            async (status, _) => followed.Add((status, await StatusAsync(outbound, stored.Ticket.Id), await LinkedAsync())),
            Cancellation);

        Assert.Equal([(OutboundStatus.Sent, OutboundStatus.Sent, false)], followed);
        Assert.True(await LinkedAsync());
    }

    [Theory]
    [InlineData(MailThreading.SentOrEarlier, true)]
    [InlineData(MailThreading.Sent, false)]
    [InlineData(MailThreading.None, false)]
    public async Task A_mail_an_earlier_attempt_sent_is_linked_again_only_when_asked(MailThreading threading, bool linked)
    {
        var (outbound, stored) = await TicketAsync();
        var (record, _) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);
        await outbound.MarkAsync(stored.Ticket.Id, record, OutboundStatus.Sent, MessageId, Cancellation);
        var (again, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        await outbound.SendOnceAsync(stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, again, created, Cancellation), threading, NeverCalled, Cancellation);

        Assert.Equal(linked, await LinkedAsync());
    }

    [Fact]
    public async Task A_notice_to_on_call_is_never_linked_so_an_answer_to_it_does_not_join_the_ticket()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, taken) = await outbound.RecordNotificationAsync(stored.Ticket.Id, "sla:first_response:breached:email", "escalation", "email", Cancellation);

        var result = await outbound.SendOnceAsync(stored.Ticket.Id, new OutboundClaim(taken ? record : null, taken ? null : record), MailThreading.None, Sent, Cancellation);

        Assert.True(taken);

        Assert.Equal(OutboundStatus.Sent, result?.Status);
        Assert.False(await LinkedAsync());
    }

    [Fact]
    public async Task Only_the_mail_that_was_sent_is_linked()
    {
        var (outbound, stored) = await TicketAsync();
        var (record, created) = await outbound.RecordAsync(stored, "ack", "acknowledgement", "email", "We have it.", Cancellation);

        await outbound.SendOnceAsync(
            stored.Ticket.Id, await outbound.ClaimAsync(stored.Ticket.Id, record, created, Cancellation), MailThreading.SentOrEarlier,
            () => Task.FromResult(new SendResult(OutboundStatus.Failed, MessageId, "refused")), Cancellation);

        Assert.Equal(OutboundStatus.Failed, await StatusAsync(outbound, stored.Ticket.Id));
        Assert.False(await LinkedAsync());
    }
}
