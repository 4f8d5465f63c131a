using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Sla;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Messaging;

/// <summary>Intake against real Azurite: what is stored, what is queued, how follow-ups join.</summary>
public class TicketIntakeTests(AzuriteFixture azurite)
{
    private const string Password = "Tr0ub4dor&3";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();

    private async Task<(TicketIntake Intake, TicketStore Store, StorageTicketQueue Queue)> CreateAsync()
    {
        var store = new TicketStore(new TableServiceClient(azurite.ConnectionString), _time, _prefix);
        var queue = new StorageTicketQueue(new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), _prefix);
        await store.CreateTablesAsync(TestContext.Current.CancellationToken);
        await queue.CreateQueuesAsync(TestContext.Current.CancellationToken);
        return (Intake(store, queue), store, queue);
    }

    private TicketIntake Intake(TicketStore store, ITicketQueue queue) =>
        new(
            TriageEngine.Default, store, new ContactBlocks(new TableServiceClient(azurite.ConnectionString), _time, _prefix), queue,
            new QueueOutbox(Outbox(), queue, NullLogger<QueueOutbox>.Instance), Options.Create(new SlaOptions()), _time, NullLogger<TicketIntake>.Instance);

    private OutboxStore Outbox() => new(new TableServiceClient(azurite.ConnectionString), _time, _prefix);

    /// <summary>Stops the store where a killed process would: right after the ticket's write, before anything else.</summary>
    private sealed class KillAfterTheWrite : ITicketProjection
    {
        public Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken) => throw new IOException("killed after the write");
    }

    [Fact]
    public async Task A_keyless_message_whose_process_dies_between_its_ticket_and_its_queue_message_is_queued_by_the_outbox_sweeper()
    {
        var store = new TicketStore(new TableServiceClient(azurite.ConnectionString), _time, _prefix, [new KillAfterTheWrite()]);
        var queue = new StorageTicketQueue(new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), _prefix);
        await store.CreateTablesAsync(TestContext.Current.CancellationToken);
        await queue.CreateQueuesAsync(TestContext.Current.CancellationToken);

        // No provider id: nobody sends this message again, and the client that got no answer would only open a second ticket.
        await Assert.ThrowsAsync<IOException>(() => Intake(store, queue).AcceptAsync(
            new InboundMessage("web", Someone(), "Where is my deposit? It has been three hours."), TestContext.Current.CancellationToken));
        var row = Assert.Single(await Outbox().BeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), 10, TestContext.Current.CancellationToken));
        var written = (await store.GetAsync(row.Message!.TicketId, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Empty(await queue.ReceiveAsync(Urgency.Normal, 32, TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken));

        var sweeper = new OutboxSweeper(Outbox(), queue, _time, NullLogger<OutboxSweeper>.Instance);
        Assert.Equal(0, await sweeper.RunOnceAsync(TestContext.Current.CancellationToken));
        _time.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await sweeper.RunOnceAsync(TestContext.Current.CancellationToken));

        var queued = Assert.Single(await queue.ReceiveAsync(written.Urgency, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal((written.Id, TicketEvent.Created, $"{written.Id}:created:1:swept"), (queued.Message!.TicketId, queued.Message.Event, queued.Message.MessageId));
    }

    [Fact]
    public async Task A_keyless_message_is_accepted_when_the_queue_fails_after_its_ticket_and_reaches_the_queue_through_the_outbox()
    {
        var store = new TicketStore(new TableServiceClient(azurite.ConnectionString), _time, _prefix);
        var queue = new StorageTicketQueue(new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), _prefix);
        await store.CreateTablesAsync(TestContext.Current.CancellationToken);

        // The queues do not exist yet: every enqueue fails.
        var result = await Intake(store, queue).AcceptAsync(
            new InboundMessage("web", Someone(), "Where is my deposit? It has been three hours."), TestContext.Current.CancellationToken);
        Assert.True(result.Created);

        await queue.CreateQueuesAsync(TestContext.Current.CancellationToken);
        _time.Advance(OutboxSweeper.GracePeriod + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await new OutboxSweeper(Outbox(), queue, _time, NullLogger<OutboxSweeper>.Instance).RunOnceAsync(TestContext.Current.CancellationToken));
        var queued = Assert.Single(await queue.ReceiveAsync(result.Ticket!.Urgency, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(result.Ticket.Id, queued.Message!.TicketId);
    }

    [Fact]
    public async Task A_keyless_message_queued_at_once_leaves_no_outbox_row_and_a_keyed_one_writes_none()
    {
        var (intake, _, queue) = await CreateAsync();

        var keyless = await intake.AcceptAsync(new InboundMessage("web", Someone(), "Where is my deposit?"), TestContext.Current.CancellationToken);
        await intake.AcceptAsync(new InboundMessage("web", Someone(), "Where is my withdrawal?", ProviderMessageId: "idem-2"), TestContext.Current.CancellationToken);

        Assert.Empty(await Outbox().BeforeAsync(DateTimeOffset.MaxValue.AddDays(-1), 10, TestContext.Current.CancellationToken));
        Assert.Contains(
            (await queue.ReceiveAsync(keyless.Ticket!.Urgency, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Select(q => q.Message!.MessageId),
            id => id == $"{keyless.Ticket.Id}:created:1");
    }

    [Fact]
    public async Task An_edit_joins_the_ticket_of_the_message_it_edits_where_a_new_message_would_open_its_own()
    {
        var (intake, store, _) = await CreateAsync();
        var group = Someone("telegram");
        var cancellation = TestContext.Current.CancellationToken;

        // Where every message is its own ticket (a group chat), an edit must still land on its message's ticket.
        var first = await intake.AcceptAsync(new InboundMessage("telegram", group, "My deposit of 2 ETH is missing.", ProviderMessageId: "m-1", JoinOpenTicket: false), cancellation);
        var second = await intake.AcceptAsync(new InboundMessage("telegram", group, "How do I change my email?", ProviderMessageId: "m-2", JoinOpenTicket: false), cancellation);
        var edit = await intake.AcceptAsync(
            new InboundMessage("telegram", group, "My deposit of 2.5 ETH is missing.", ProviderMessageId: "m-1:edit", JoinOpenTicket: false)
            {
                EditsProviderMessageId = "m-1",
                Details = new MessageDetails([], new Dictionary<string, string>(), "m-1"),
            },
            cancellation);

        Assert.NotEqual(first.Ticket!.Id, second.Ticket!.Id);
        Assert.False(edit.Created);
        Assert.Equal(first.Ticket.Id, edit.Ticket!.Id);
        Assert.Equal("m-1", (await store.GetMessagesAsync(first.Ticket.Id, cancellation))[^1].Details!.EditOf);
    }

    [Fact]
    public async Task An_edit_naming_another_contacts_message_never_joins_that_ticket()
    {
        var (intake, _, _) = await CreateAsync();
        var cancellation = TestContext.Current.CancellationToken;

        var victim = await intake.AcceptAsync(new InboundMessage("whatsapp", Someone("whatsapp"), "My withdrawal is stuck.", ProviderMessageId: "wamid.victim"), cancellation);
        var stranger = await intake.AcceptAsync(
            new InboundMessage("whatsapp", Someone("whatsapp"), "edited text", ProviderMessageId: "wamid.stranger-edit") { EditsProviderMessageId = "wamid.victim" }, cancellation);

        Assert.True(stranger.Created);
        Assert.NotEqual(victim.Ticket!.Id, stranger.Ticket!.Id);
    }

    [Fact]
    public async Task An_edit_of_a_message_on_a_closed_ticket_joins_the_contacts_open_ticket_instead_of_opening_another()
    {
        var (intake, store, _) = await CreateAsync();
        var customer = Someone("messenger");
        var cancellation = TestContext.Current.CancellationToken;

        var old = await intake.AcceptAsync(new InboundMessage("messenger", customer, "Old question about fees.", ProviderMessageId: "m_old"), cancellation);
        await store.UpdateAsync(old.Ticket!.Id, ticket => ticket with { Status = TicketStatus.Closed }, cancellation);
        var current = await intake.AcceptAsync(new InboundMessage("messenger", customer, "My card payment failed twice.", ProviderMessageId: "m_new"), cancellation);
        var edit = await intake.AcceptAsync(
            new InboundMessage("messenger", customer, "Old question about withdrawal fees.", ProviderMessageId: "m_old:edit") { EditsProviderMessageId = "m_old" }, cancellation);

        Assert.NotEqual(old.Ticket.Id, current.Ticket!.Id);
        Assert.Equal(current.Ticket.Id, edit.Ticket!.Id);
    }

    private static Contact Someone(string channel = "web") => new(channel, Guid.NewGuid().ToString("N"), "Alice", "alice@example.com");

    [Fact]
    public async Task A_new_message_becomes_a_redacted_ticket_on_the_queue_of_its_urgency()
    {
        var (intake, store, queue) = await CreateAsync();

        var result = await intake.AcceptAsync(
            new InboundMessage("web", Someone(), $"Can't log in. password: {Password}", Subject: "Login", ProviderMessageId: "idem-1"),
            TestContext.Current.CancellationToken);

        Assert.True(result.Created);
        var ticket = result.Ticket!;
        Assert.Equal(TicketCategory.AccountAccess, ticket.Category);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(1, ticket.Redactions["password"]);
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), ticket.FirstResponseDueAt);
        Assert.Equal(_time.GetUtcNow().AddHours(4), ticket.ResolutionDueAt);
        var stored = Assert.Single(await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken));
        Assert.False(stored.Text.Contains(Password, StringComparison.Ordinal), "the stored message holds the password");
        Assert.Contains("[REDACTED:password]", stored.Text, StringComparison.Ordinal);

        var queued = Assert.Single(await queue.ReceiveAsync(Urgency.Urgent, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(new TicketQueueMessage("web:idem-1", ticket.Id, ticket.Reference, Urgency.Urgent, "web", TicketEvent.Created), queued.Message);
        Assert.False(queued.Body.Contains("log in", StringComparison.Ordinal), "the queue message carries customer text");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task A_new_tickets_contact_is_verified_unless_the_channel_says_nothing_proved_the_sender(bool? senderVerified, bool verified)
    {
        var (intake, store, _) = await CreateAsync();

        var result = await intake.AcceptAsync(new InboundMessage("web", Someone(), "How do I verify my account?") { SenderVerified = senderVerified }, TestContext.Current.CancellationToken);

        var ticket = (await store.GetAsync(result.Ticket!.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Equal(verified, ticket.Contact.Verified);
        Assert.NotNull(ticket.StatusNonce);
        var message = Assert.Single(await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(senderVerified, ContactVerification.SenderVerified(message));
    }

    [Fact]
    public async Task A_proved_reply_from_the_contacts_own_address_verifies_the_contact_and_revokes_earlier_status_links()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone();
        var first = await intake.AcceptAsync(new InboundMessage("web", contact, "My deposit is missing", JoinOpenTicket: false) { SenderVerified = false }, TestContext.Current.CancellationToken);
        var nonce = first.Ticket!.StatusNonce;

        // Not proved, or from another address: nothing changes.
        await intake.AcceptAsync(
            new InboundMessage("email", new Contact("email", "alice@example.com", null, "alice@example.com"), "unproved", ProviderMessageId: "m-1", JoinTicketId: first.Ticket.Id) { SenderVerified = false },
            TestContext.Current.CancellationToken);
        await intake.AcceptAsync(
            new InboundMessage("email", new Contact("email", "eve@example.com", null, "eve@example.com"), "someone else", ProviderMessageId: "m-2", JoinTicketId: first.Ticket.Id) { SenderVerified = true },
            TestContext.Current.CancellationToken);
        var unchanged = (await store.GetAsync(first.Ticket.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.False(unchanged.Contact.Verified);
        Assert.Equal(nonce, unchanged.StatusNonce);

        await intake.AcceptAsync(
            new InboundMessage("email", new Contact("email", "alice@example.com", null, "Alice@Example.com"), "proved", ProviderMessageId: "m-3", JoinTicketId: first.Ticket.Id) { SenderVerified = true },
            TestContext.Current.CancellationToken);
        await intake.AcceptAsync(
            new InboundMessage("email", new Contact("email", "alice@example.com", null, "alice@example.com"), "proved again", ProviderMessageId: "m-4", JoinTicketId: first.Ticket.Id) { SenderVerified = true },
            TestContext.Current.CancellationToken);

        var verified = (await store.GetAsync(first.Ticket.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.True(verified.Contact.Verified);
        Assert.NotEqual(nonce, verified.StatusNonce);
        var audit = Assert.Single(await store.GetAuditAsync(first.Ticket.Id, TestContext.Current.CancellationToken), e => e.Action == AuditActions.ContactVerified);
        Assert.Equal((AuditActions.Customer, ContactVerification.ByEmail), (audit.Agent, audit.Detail));
        var messages = await store.GetMessagesAsync(first.Ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal([false, false, true, true, true], messages.Select(ContactVerification.SenderVerified));
    }

    [Fact]
    public async Task A_redelivered_message_finds_its_ticket_and_is_queued_again_under_the_same_id()
    {
        var (intake, _, queue) = await CreateAsync();
        var message = new InboundMessage("telegram", Someone("telegram"), "withdrawal pending for 6 hours", ProviderMessageId: "update-77");

        var first = await intake.AcceptAsync(message, TestContext.Current.CancellationToken);
        var second = await intake.AcceptAsync(message, TestContext.Current.CancellationToken);

        Assert.True(first.Created);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Ticket!.Id, second.Ticket!.Id);
        var queued = await queue.ReceiveAsync(Urgency.High, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(2, queued.Count);
        Assert.All(queued, q => Assert.Equal("telegram:update-77", q.Message?.MessageId));
    }

    /// <summary>The queue as a process killed after its ticket's write leaves it: the first queue message never arrives.</summary>
    private sealed class KilledBeforeTheFirstEnqueue(ITicketQueue queue) : ITicketQueue
    {
        private int _calls;

        public Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1 ? throw new IOException("killed before the queue message") : queue.EnqueueAsync(message, cancellationToken);
    }

    [Theory]
    [InlineData("telegram")]
    [InlineData("messenger")]
    public async Task A_message_sent_again_after_a_kill_between_its_new_ticket_and_its_queue_message_is_queued_as_the_ticket_it_created(string channel)
    {
        var (_, store, queue) = await CreateAsync();
        var intake = Intake(store, new KilledBeforeTheFirstEnqueue(queue));
        var message = new InboundMessage(channel, Someone(channel), "withdrawal pending for 6 hours", ProviderMessageId: "update-78");

        // The ticket and the contact's index row are written; the process dies before the queue message, and the provider,
        // answered nothing, sends the message again. It finds the contact's ticket, which is the one it created itself.
        await Assert.ThrowsAsync<IOException>(() => intake.AcceptAsync(message, TestContext.Current.CancellationToken));
        var again = await intake.AcceptAsync(message, TestContext.Current.CancellationToken);

        Assert.True(again.Duplicate);
        var queued = Assert.Single(await queue.ReceiveAsync(again.Ticket!.Urgency, 32, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal((again.Ticket.Id, TicketEvent.Created, $"{channel}:update-78"), (queued.Message!.TicketId, queued.Message.Event, queued.Message.MessageId));
    }

    [Fact]
    public async Task A_follow_up_joins_the_open_ticket_and_can_only_raise_its_urgency()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("telegram");
        var first = await intake.AcceptAsync(new InboundMessage("telegram", contact, "How do I place a limit order?", ProviderMessageId: "u1"), TestContext.Current.CancellationToken);

        var second = await intake.AcceptAsync(
            new InboundMessage("telegram", contact, "also someone logged into my account and withdrew all my USDT", ProviderMessageId: "u2"),
            TestContext.Current.CancellationToken);
        var third = await intake.AcceptAsync(new InboundMessage("telegram", contact, "thanks", ProviderMessageId: "u3"), TestContext.Current.CancellationToken);

        Assert.Equal(Urgency.Normal, first.Ticket!.Urgency);
        Assert.False(second.Created);
        Assert.Equal(first.Ticket.Id, second.Ticket!.Id);
        Assert.Equal(Urgency.Urgent, second.Ticket.Urgency);
        Assert.Equal(TicketCategory.Security, second.Ticket.Category);
        Assert.Equal(_time.GetUtcNow().AddMinutes(15), second.Ticket.FirstResponseDueAt);
        Assert.Equal(Urgency.Urgent, third.Ticket!.Urgency);
        Assert.Equal(3, (await store.GetMessagesAsync(first.Ticket.Id, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task The_ticket_remembers_when_and_to_what_the_customer_last_wrote()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("telegram");
        var created = _time.GetUtcNow();
        var first = await intake.AcceptAsync(new InboundMessage("telegram", contact, "Deposit missing", ProviderMessageId: "u1") { ReplyToId = "41" }, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromHours(3));

        await intake.AcceptAsync(new InboundMessage("telegram", contact, "still missing", ProviderMessageId: "u2") { ReplyToId = "57" }, TestContext.Current.CancellationToken);

        var stored = (await store.GetAsync(first.Ticket!.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Equal(created, first.Ticket.LastInboundAt);
        Assert.Equal(created.AddHours(3), stored.LastInboundAt);
        Assert.Equal("57", stored.ReplyToId);
    }

    [Fact]
    public async Task The_channel_language_hint_decides_when_triage_cannot_or_the_text_is_too_short_to_tell()
    {
        var (intake, _, _) = await CreateAsync();
        async Task<string> LanguageOf(string text, string? hint, string? chosen = null) =>
            (await intake.AcceptAsync(new InboundMessage("web", Someone(), text, LanguageHint: hint) { ChosenLanguage = chosen }, TestContext.Current.CancellationToken)).Ticket!.Language;

        Assert.Equal("zh-Hant", await LanguageOf("0x1234 ???", "zh-TW"));
        Assert.Equal("en", await LanguageOf("my withdrawal is stuck", "zh-TW"));
        Assert.Equal("tr", await LanguageOf("help pls", "tr"));
        Assert.Equal("pt", await LanguageOf("hola", "pt-BR"));

        // A short text in a script of its own keeps the language it shows.
        Assert.Equal("ru", await LanguageOf("Помогите!", "en-US"));
        Assert.Equal("ko", await LanguageOf("도와주세요", "ja"));

        // A language the customer chose wins over both; one Intake does not speak is no choice.
        Assert.Equal("vi", await LanguageOf("my withdrawal has been stuck since this morning", "en", chosen: "vi"));
        Assert.Equal("en", await LanguageOf("my withdrawal has been stuck since this morning", null, chosen: "fr"));
    }

    private async Task<Ticket> ResolvedTicketAsync(TicketIntake intake, TicketStore store, Contact contact, TicketStatus status = TicketStatus.Resolved)
    {
        var first = await intake.AcceptAsync(new InboundMessage(contact.Channel, contact, "My deposit is missing", ProviderMessageId: "r1-" + contact.Id), TestContext.Current.CancellationToken);
        return (await store.UpdateAsync(first.Ticket!.Id, t => t with { Status = status, ResolvedAt = _time.GetUtcNow() }, TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task A_customer_writing_two_days_after_the_resolution_reopens_the_ticket()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("telegram");
        var resolved = await ResolvedTicketAsync(intake, store, contact);
        _time.Advance(TimeSpan.FromDays(2));

        var again = await intake.AcceptAsync(new InboundMessage("telegram", contact, "It is still not there", ProviderMessageId: "r2-" + contact.Id), TestContext.Current.CancellationToken);

        Assert.False(again.Created);
        Assert.Equal(resolved.Id, again.Ticket!.Id);
        Assert.Equal(TicketStatus.Open, again.Ticket.Status);
        Assert.Null(again.Ticket.ResolvedAt);
        var audit = Assert.Single(await store.GetAuditAsync(resolved.Id, TestContext.Current.CancellationToken));
        Assert.Equal(new AuditEntry(1, "customer", "reopened", "resolved → open", _time.GetUtcNow()), audit);
        Assert.Equal(2, (await store.GetMessagesAsync(resolved.Id, TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task A_customer_writing_eight_days_after_the_resolution_gets_a_new_ticket_linking_the_old_one()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("telegram");
        var resolved = await ResolvedTicketAsync(intake, store, contact);
        _time.Advance(TimeSpan.FromDays(8));

        var again = await intake.AcceptAsync(new InboundMessage("telegram", contact, "New problem: my withdrawal is stuck", ProviderMessageId: "r2-" + contact.Id), TestContext.Current.CancellationToken);
        var third = await intake.AcceptAsync(new InboundMessage("telegram", contact, "any news?", ProviderMessageId: "r3-" + contact.Id), TestContext.Current.CancellationToken);

        Assert.True(again.Created);
        Assert.NotEqual(resolved.Id, again.Ticket!.Id);
        Assert.Equal(resolved.Id, again.Ticket.LinkedTicketId);
        Assert.Equal(TicketStatus.New, again.Ticket.Status);
        Assert.Equal(again.Ticket.Id, third.Ticket!.Id);
        var old = (await store.GetAsync(resolved.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Equal(TicketStatus.Resolved, old.Status);
        Assert.Equal(1, old.MessageCount);
    }

    [Fact]
    public async Task A_customer_writing_about_a_closed_ticket_gets_a_new_linked_ticket_at_once()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("x");
        var closed = await ResolvedTicketAsync(intake, store, contact, TicketStatus.Closed);
        _time.Advance(TimeSpan.FromHours(1));

        var again = await intake.AcceptAsync(new InboundMessage("x", contact, "hello again", ProviderMessageId: "r2-" + contact.Id), TestContext.Current.CancellationToken);

        Assert.True(again.Created);
        Assert.Equal(closed.Id, again.Ticket!.LinkedTicketId);
    }

    [Fact]
    public async Task A_message_matched_by_thread_or_reference_reopens_a_recently_resolved_ticket_too()
    {
        var (intake, store, _) = await CreateAsync();
        var contact = Someone("email");
        var resolved = await ResolvedTicketAsync(intake, store, contact);
        _time.Advance(TimeSpan.FromDays(6));

        var again = await intake.AcceptAsync(
            new InboundMessage("email", contact, "Re: still missing", ProviderMessageId: "mail-2", JoinTicketId: resolved.Id, JoinOpenTicket: false), TestContext.Current.CancellationToken);

        Assert.Equal(resolved.Id, again.Ticket!.Id);
        Assert.Equal(TicketStatus.Open, again.Ticket.Status);
    }
}
