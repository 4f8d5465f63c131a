using Azure.Data.Tables;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Tickets;

/// <summary>The ticket store against real Azurite.</summary>
public class TicketStoreTests(AzuriteFixture azurite)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly string _prefix = TestStorage.NewPrefix();

    private TicketListing? _listing;

    /// <summary>A store with the status listing as its projection, as the hosts compose it.</summary>
    private async Task<TicketStore> StoreAsync()
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        _listing = new TicketListing(tables, _prefix);
        var store = new TicketStore(tables, _time, _prefix, [_listing]);
        await store.CreateTablesAsync(TestContext.Current.CancellationToken);
        return store;
    }

    private OutboundLog Outbound(TicketStore store) => new(new TableServiceClient(azurite.ConnectionString), store, _time, _prefix);

    private Ticket NewTicket(string channel = "web", string? contactId = null) => NewTicket(TicketIds.NewId(_time), channel, contactId);

    private Ticket NewTicket(string id, string channel = "web", string? contactId = null) => new()
    {
        Id = id,
        Reference = TicketIds.ReferenceOf(id),
        Channel = channel,
        Contact = new Contact(channel, contactId ?? Guid.NewGuid().ToString("N"), "Lena", "lena@example.com"),
        Language = "en",
        Category = TicketCategory.Withdrawal,
        Urgency = Urgency.High,
        Subject = "Withdrawal pending",
        Flags = [TriageFlags.SecretExposed],
        Redactions = new Dictionary<string, int> { ["password"] = 1 },
        Entities = new TriageEntities(["0xabc"], [], ["USDT"], ["TRC20"], ["500 USDT"], ["88213345"]),
        CreatedAt = _time.GetUtcNow(),
    };

    [Fact]
    public async Task Stores_a_ticket_and_its_first_message_and_reads_them_back()
    {
        var store = await StoreAsync();
        var ticket = NewTicket();

        var creation = await store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending. password: [REDACTED:password]", "m-1"), TestContext.Current.CancellationToken);

        Assert.True(creation.Created);
        var stored = await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
        Assert.Equal(ticket with { MessageCount = 1, UpdatedAt = ticket.CreatedAt, Redactions = stored.Ticket.Redactions, Flags = stored.Ticket.Flags, Entities = stored.Ticket.Entities }, stored.Ticket);
        Assert.Equal(ticket.Flags, stored.Ticket.Flags);
        Assert.Equal(1, stored.Ticket.Redactions["password"]);
        Assert.Equal(ticket.Entities.OrderIds, stored.Ticket.Entities.OrderIds);
        var message = Assert.Single(await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken));
        Assert.Equal(MessageDirection.Inbound, message.Direction);
        Assert.Equal("m-1", message.ProviderId);
        Assert.Equal((await store.FindByReferenceAsync(ticket.Reference, TestContext.Current.CancellationToken))?.Ticket.Id, ticket.Id);
    }

    [Fact]
    public async Task The_whole_ticket_is_one_partition_query_and_reads_what_the_separate_reads_do()
    {
        var store = await StoreAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "My withdrawal is pending", "m-1"), TestContext.Current.CancellationToken);
        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        await store.AppendMessageAsync(stored, MessageDirection.Inbound, "Still pending", "m-2", t => t, TestContext.Current.CancellationToken);
        await Outbound(store).RecordAsync((await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!, "acknowledgement", "acknowledgement", "web", "Thank you", TestContext.Current.CancellationToken);
        await store.ChangeAsync(ticket.Id, null, (t, _) => new TicketChange(t with { Urgency = Urgency.Urgent }, [new TicketAudit("alice", "urgency", "high → urgent")]), TestContext.Current.CancellationToken);
        var counted = new CountingHandler();
        var counting = new TicketStore(
            new TableServiceClient(azurite.ConnectionString, new TableClientOptions { Transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClient(counted)) }),
            _time, _prefix);

        var whole = await counting.GetWholeAsync(ticket.Id, TestContext.Current.CancellationToken);

        Assert.Equal(1, counted.Requests);
        Assert.NotNull(whole);
        var head = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal(head.ETag, whole.Stored.ETag);
        Assert.Equal(head.Ticket.Urgency, whole.Stored.Ticket.Urgency);
        Assert.Equal(
            (await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken)).Select(m => (m.Sequence, m.Text, m.ProviderId)),
            whole.Messages.Select(m => (m.Sequence, m.Text, m.ProviderId)));
        Assert.Contains(whole.Messages, m => m.Text == "Still pending");
        Assert.Equal(await Outbound(store).ListAsync(ticket.Id, TestContext.Current.CancellationToken), whole.Outbound);
        Assert.Equal(await store.GetAuditAsync(ticket.Id, TestContext.Current.CancellationToken), whole.Audit);
        Assert.Single(whole.Audit);
        Assert.Null(await store.GetWholeAsync(TicketIds.NewId(_time), TestContext.Current.CancellationToken));
        Assert.Null(await store.GetWholeAsync("not-an-id", TestContext.Current.CancellationToken));
    }

    /// <summary>Counts the requests a client sends.</summary>
    private sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Theory]
    [InlineData("web", "lena@example.com", false)]
    [InlineData("web", null, true)]
    [InlineData("email", "lena@example.com", true)]
    [InlineData("telegram", null, true)]
    public async Task A_ticket_stored_before_contacts_were_verified_reads_unverified_only_for_a_web_form_address(string channel, string? email, bool verified)
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: channel) with { StatusNonce = "n" };
        ticket = ticket with { Contact = ticket.Contact with { Email = email } };
        await store.CreateAsync(new NewTicket(ticket, "Hello", null), TestContext.Current.CancellationToken);

        // The row as the code before this change wrote it: neither the flag nor a nonce.
        var table = new TableClient(azurite.ConnectionString, _prefix + TicketStore.TicketsTable);
        var row = (await table.GetEntityAsync<TableEntity>(ticket.Reference, "ticket", cancellationToken: TestContext.Current.CancellationToken)).Value;
        row.Remove("ContactVerified");
        row.Remove("StatusNonce");
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, TestContext.Current.CancellationToken);

        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Equal(verified, stored.Contact.Verified);
        Assert.Null(stored.StatusNonce);
    }

    [Fact]
    public async Task The_same_provider_message_twice_makes_one_ticket()
    {
        var store = await StoreAsync();
        var first = NewTicket(channel: "telegram");
        var retry = NewTicket(channel: "telegram");
        var providerId = "update-" + Guid.NewGuid().ToString("N");

        var a = await store.CreateAsync(new NewTicket(first, "help", providerId), TestContext.Current.CancellationToken);
        var b = await store.CreateAsync(new NewTicket(retry, "help", providerId), TestContext.Current.CancellationToken);

        Assert.True(a.Created);
        Assert.False(b.Created);
        Assert.Equal(first.Id, b.Ticket.Id);
        Assert.Null(await store.GetAsync(retry.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_redelivery_restores_the_contact_row_a_crash_left_unwritten_and_never_moves_it_back()
    {
        var store = await StoreAsync();
        var cancellation = TestContext.Current.CancellationToken;
        var contactId = "tg-" + Guid.NewGuid().ToString("N");
        var first = NewTicket(channel: "telegram", contactId: contactId);
        var providerId = "update-" + Guid.NewGuid().ToString("N");
        await store.CreateAsync(new NewTicket(first, "help", providerId), cancellation);

        // The first delivery stopped after the ticket's transaction: its contact row is not there.
        var index = new TableServiceClient(azurite.ConnectionString).GetTableClient(_prefix + TicketStore.IndexTable);
        var row = Assert.Single(index.Query<TableEntity>(e => e.PartitionKey.CompareTo("contact|") > 0 && e.PartitionKey.CompareTo("contact}") < 0, cancellationToken: cancellation));
        await index.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellation);
        Assert.Null(await store.FindForContactAsync("telegram", contactId, cancellation));

        var retry = await store.CreateAsync(new NewTicket(NewTicket(channel: "telegram", contactId: contactId), "help", providerId), cancellation);

        Assert.False(retry.Created);
        Assert.Equal(first.Id, (await store.FindForContactAsync("telegram", contactId, cancellation))?.Ticket.Id);

        // A later ticket of the contact keeps the row when an old message of theirs is delivered again.
        _time.Advance(TimeSpan.FromMinutes(1));
        var later = NewTicket(channel: "telegram", contactId: contactId);
        await store.CreateAsync(new NewTicket(later, "another problem", "update-" + Guid.NewGuid().ToString("N")), cancellation);
        await store.CreateAsync(new NewTicket(NewTicket(channel: "telegram", contactId: contactId), "help", providerId), cancellation);

        Assert.Equal(later.Id, (await store.FindForContactAsync("telegram", contactId, cancellation))?.Ticket.Id);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_message_make_one_ticket()
    {
        var store = await StoreAsync();
        var providerId = "mid-" + Guid.NewGuid().ToString("N");

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            store.CreateAsync(new NewTicket(NewTicket(channel: "meta"), "hi", providerId), TestContext.Current.CancellationToken)));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Ticket.Id).Distinct());
    }

    [Fact]
    public async Task Provider_ids_with_characters_tables_refuse_are_still_deduplicated()
    {
        var store = await StoreAsync();
        var messageId = $"<{Guid.NewGuid():N}/part#1?x@mail.example.com>";

        await store.CreateAsync(new NewTicket(NewTicket(channel: "email"), "hello", messageId), TestContext.Current.CancellationToken);
        var again = await store.CreateAsync(new NewTicket(NewTicket(channel: "email"), "hello", messageId), TestContext.Current.CancellationToken);

        Assert.False(again.Created);
        Assert.Equal(again.Ticket.Id, (await store.FindByProviderMessageAsync("email", messageId, TestContext.Current.CancellationToken))?.Ticket.Id);
    }

    [Fact]
    public async Task Follow_ups_join_the_open_ticket_once_each()
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: "telegram", contactId: "chat-" + Guid.NewGuid().ToString("N"));
        await store.CreateAsync(new NewTicket(ticket, "first", "u1-" + ticket.Id), TestContext.Current.CancellationToken);

        var open = await store.FindForContactAsync("telegram", ticket.Contact.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ticket.Id, open?.Ticket.Id);
        var (added, _) = await store.AppendMessageAsync(open!, MessageDirection.Inbound, "second", "u2-" + ticket.Id, t => t, TestContext.Current.CancellationToken);
        var (repeated, _) = await store.AppendMessageAsync(open!, MessageDirection.Inbound, "second", "u2-" + ticket.Id, t => t, TestContext.Current.CancellationToken);

        Assert.NotNull(added);
        Assert.Null(repeated);
        var messages = await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal(["first", "second"], messages.Select(m => m.Text));
        Assert.Equal(2, (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))?.Ticket.MessageCount);
    }

    [Fact]
    public async Task Concurrent_appends_never_lose_a_message()
    {
        var store = await StoreAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "first", null), TestContext.Current.CancellationToken);

        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            store.AppendMessageAsync(stored, MessageDirection.Inbound, $"follow-up {i}", null, t => t with { Status = TicketStatus.Open }, TestContext.Current.CancellationToken)));

        var messages = await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal(7, messages.Count);
        Assert.Equal(Enumerable.Range(1, 7), messages.Select(m => m.Sequence));
        Assert.Equal(7, (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))?.Ticket.MessageCount);
    }

    [Fact]
    public async Task A_resolved_ticket_stays_the_contacts_latest_so_that_intake_can_decide_to_reopen_it()
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: "x", contactId: "user-" + Guid.NewGuid().ToString("N"));
        await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);

        await store.UpdateAsync(ticket.Id, t => t with { Status = TicketStatus.Resolved, ResolvedAt = _time.GetUtcNow() }, TestContext.Current.CancellationToken);

        var found = await store.FindForContactAsync("x", ticket.Contact.Id, TestContext.Current.CancellationToken);
        Assert.Equal(ticket.Id, found?.Ticket.Id);
        Assert.Equal(TicketStatus.Resolved, found?.Ticket.Status);
    }

    [Fact]
    public async Task A_long_message_survives_the_property_size_limit()
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: "email");
        var text = string.Concat(Enumerable.Repeat("Long email body line with some words. ", 2_500));

        await store.CreateAsync(new NewTicket(ticket, text, null), TestContext.Current.CancellationToken);

        Assert.Equal(text, Assert.Single(await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken)).Text);
    }

    [Fact]
    public async Task Updating_a_missing_ticket_returns_null()
    {
        var store = await StoreAsync();

        Assert.Null(await store.UpdateAsync(TicketIds.NewId(_time), t => t, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_reference_already_taken_gets_another_and_the_dedupe_record_follows_it()
    {
        var store = await StoreAsync();
        var first = NewTicket();
        await store.CreateAsync(new NewTicket(first, "first", null), TestContext.Current.CancellationToken);

        // A later id that happens to end in the same reference.
        _time.Advance(TimeSpan.FromSeconds(1));
        var clash = NewTicket(TicketIds.NewId(_time)[..20] + first.Id[20..], channel: "telegram");
        var providerId = "update-" + Guid.NewGuid().ToString("N");
        var created = await store.CreateAsync(new NewTicket(clash, "second", providerId), TestContext.Current.CancellationToken);
        var redelivered = await store.CreateAsync(new NewTicket(NewTicket(channel: "telegram"), "second", providerId), TestContext.Current.CancellationToken);

        Assert.True(created.Created);
        Assert.NotEqual(first.Reference, created.Ticket.Reference);
        Assert.Equal(TicketIds.ReferenceOf(created.Ticket.Id), created.Ticket.Reference);
        Assert.Null(await store.GetAsync(clash.Id, TestContext.Current.CancellationToken));
        Assert.Equal("first", Assert.Single(await store.GetMessagesAsync(first.Id, TestContext.Current.CancellationToken)).Text);
        Assert.Equal("second", Assert.Single(await store.GetMessagesAsync(created.Ticket.Id, TestContext.Current.CancellationToken)).Text);
        Assert.False(redelivered.Created);
        Assert.Equal(created.Ticket.Id, redelivered.Ticket.Id);
        Assert.Equal(created.Ticket.Id, (await store.FindByReferenceAsync(created.Ticket.Reference, TestContext.Current.CancellationToken))?.Ticket.Id);
    }

    [Fact]
    public async Task References_and_ids_that_name_no_ticket_find_nothing()
    {
        var store = await StoreAsync();
        var ticket = NewTicket();
        await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);

        Assert.Null(await store.GetAsync("0000000000" + ticket.Id[10..], TestContext.Current.CancellationToken)); // same reference, other id
        Assert.Null(await store.GetAsync("not-an-id", TestContext.Current.CancellationToken));
        Assert.Null(await store.FindByReferenceAsync(ticket.Reference.ToLowerInvariant(), TestContext.Current.CancellationToken));
        Assert.Null(await store.FindByReferenceAsync("T-A/B#C?", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Listing_merges_the_partitions_of_a_status_most_urgent_first_then_by_due_time_page_by_page()
    {
        var store = await StoreAsync();
        var made = new List<Ticket>();
        var urgencies = new[] { Urgency.Normal, Urgency.Urgent, Urgency.Low, Urgency.High };
        for (var i = 0; i < 40; i++)
        {
            // Due times out of creation order, some equal (then the older ticket first), some none (then last).
            DateTimeOffset? due = i % 9 == 0 ? null : _time.GetUtcNow().AddMinutes(i * 37 % 11 * 10);
            var ticket = NewTicket() with { Urgency = urgencies[i % urgencies.Length], FirstResponseDueAt = due };
            await store.CreateAsync(new NewTicket(ticket, "hi", null), TestContext.Current.CancellationToken);
            made.Add(ticket);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await _listing!.ListAsync(new TicketQuery(TicketStatus.New, PageSize: 7, ContinuationToken: token), TestContext.Current.CancellationToken);
            Assert.True(page.Tickets.Count <= 7);
            seen.AddRange(page.Tickets.Select(t => t.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);

        static IEnumerable<string> Ordered(IEnumerable<Ticket> tickets) =>
            tickets.OrderByDescending(t => t.Urgency).ThenBy(t => t.FirstResponseDueAt ?? DateTimeOffset.MaxValue).ThenBy(t => t.Id, StringComparer.Ordinal).Select(t => t.Id);
        Assert.Equal(Ordered(made), seen);
        Assert.NotEqual(made.OrderByDescending(t => t.Urgency).ThenByDescending(t => t.CreatedAt).Select(t => t.Id), seen);
        var high = await _listing!.ListAsync(new TicketQuery(TicketStatus.New, Urgency.High, PageSize: 100), TestContext.Current.CancellationToken);
        Assert.Equal(Ordered(made.Where(t => t.Urgency == Urgency.High)), high.Tickets.Select(t => t.Id));
    }

    [Fact]
    public async Task A_message_keeps_its_attachments_metadata_and_edit_and_an_oversized_text_is_cut()
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: "email") with { ReplyToId = "<abc@mail.example.com>" };
        var details = new MessageDetails(
            [new AttachmentNote("statement.pdf", "application/pdf", 123_456, "m1/1-statement.pdf"), new AttachmentNote("setup.exe", "application/x-msdownload", 99, Refused: "executable")],
            new Dictionary<string, string> { ["spf"] = "pass", ["spamScore"] = "0.4" });
        var text = new string('x', TicketStore.MaxTextLength + 5_000);

        await store.CreateAsync(new NewTicket(ticket, text, "<abc@mail.example.com>", Details: details), TestContext.Current.CancellationToken);
        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;
        var (edit, _) = await store.AppendMessageAsync(
            stored, MessageDirection.Inbound, "corrected text", "update-2", t => t, TestContext.Current.CancellationToken, new MessageDetails([], new Dictionary<string, string>(), EditOf: "41"));

        var messages = await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken);
        Assert.Equal("<abc@mail.example.com>", stored.Ticket.ReplyToId);
        Assert.Equal(TicketStore.MaxTextLength, messages[0].Text.Length);
        Assert.EndsWith("longer than a ticket keeps]", messages[0].Text, StringComparison.Ordinal);
        Assert.Equal(details.Attachments, messages[0].Details!.Attachments);
        Assert.Equal("pass", messages[0].Details!.Metadata["spf"]);
        Assert.Equal("41", messages[1].Details!.EditOf);
        Assert.Equal(edit!.Sequence, messages[1].Sequence);
        Assert.Equal("corrected text", messages[1].Text);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_follow_up_add_it_once()
    {
        var store = await StoreAsync();
        var ticket = NewTicket(channel: "meta");
        await store.CreateAsync(new NewTicket(ticket, "first", "mid-1"), TestContext.Current.CancellationToken);
        var stored = (await store.GetAsync(ticket.Id, TestContext.Current.CancellationToken))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            store.AppendMessageAsync(stored, MessageDirection.Inbound, "second", "mid-2", t => t, TestContext.Current.CancellationToken)));
        var repeatOfFirst = await store.AppendMessageAsync(stored, MessageDirection.Inbound, "first", "mid-1", t => t, TestContext.Current.CancellationToken);

        Assert.Single(results, r => r.Message is not null);
        Assert.Null(repeatOfFirst.Message);
        Assert.Equal(["first", "second"], (await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken)).Select(m => m.Text));
    }
}
