using System.Net;
using Azure;
using Azure.Data.Tables;
using Intake.Storage;
using static Intake.Storage.TableRows;
using static Intake.Tickets.TicketRows;

namespace Intake.Tickets;

/// <summary>A ticket as read, with the ETag that an update must match.</summary>
public sealed record StoredTicket(Ticket Ticket, ETag ETag);

/// <summary>A ticket with everything an agent sees of it: its thread, outbound records and audit trail.</summary>
public sealed record WholeTicket(StoredTicket Stored, IReadOnlyList<TicketMessage> Messages, IReadOnlyList<OutboundRecord> Outbound, IReadOnlyList<AuditEntry> Audit);

/// <summary>
/// What intake hands the store: the ticket to create and its first message, keyed for deduplication.
/// <see cref="JoinsByContact"/> false where follow-ups never join by sender (the web form), which saves an index write.
/// </summary>
public sealed record NewTicket(Ticket Ticket, string Text, string? ProviderMessageId, bool JoinsByContact = true, MessageDetails? Details = null);

public sealed record TicketCreation(Ticket Ticket, bool Created);

/// <summary>
/// What a change writes: the ticket after it and its audit entries; for a reply, <see cref="Outbound"/> is the message
/// added to the thread and recorded for sending.
/// </summary>
public sealed record TicketChange(Ticket Ticket, IReadOnlyList<TicketAudit> Audit, OutboundDraft? Outbound = null);

/// <summary>An outbound message to record with a change: its kind (which names its key, <c>{kind}:{n}</c>), the channel it goes out on and its text.</summary>
public sealed record OutboundDraft(string Kind, string Channel, string Text);

public enum ChangeStatus
{
    Changed,

    /// <summary>The decision changed nothing; nothing was written.</summary>
    Unchanged,
    NotFound,

    /// <summary>The ticket changed since the caller's <c>If-Match</c>; nothing was written.</summary>
    Stale,

    /// <summary>Too many concurrent updates in a row; nothing was written.</summary>
    Busy,
}

/// <summary>How a change went: the ticket as it now is (with its new ETag), and for a reply its thread entry and outbound record.</summary>
public sealed record ChangeResult(ChangeStatus Status, StoredTicket? Stored, TicketMessage? Message = null, OutboundRecord? Outbound = null);

/// <summary>
/// Tickets and their threads in Azure Tables. <c>Tickets</c>: one partition per ticket, keyed by its reference (which its
/// id ends in, see <see cref="TicketIds"/>), so that a reference is unique by construction and found without a lookup;
/// the ticket itself, its thread, outbound records and audit trail in rows of that partition (<see cref="TicketRows"/>),
/// so a message and the count on the ticket change together in one transaction. <c>TicketIndex</c>: the lookups Table
/// Storage cannot do by itself — provider message ids (dedupe, insert if absent) and the latest ticket of each contact —
/// each spread over a few partitions by a hash, so that no partition takes every write. What else follows a ticket
/// write (the status listing, the SLA's rows) is told through <paramref name="projections"/>; outbound records are
/// written by <c>Outbound.OutboundLog</c>.
/// </summary>
public sealed class TicketStore(TableServiceClient tables, TimeProvider time, string prefix = "", IEnumerable<ITicketProjection>? projections = null)
{
    public const string TicketsTable = "Tickets";
    public const string IndexTable = "TicketIndex";
    private const int MaxUpdateAttempts = 8;

    /// <summary>The longest text a thread entry keeps; <see cref="ClipText"/> cuts longer ones with a note.</summary>
    public const int MaxTextLength = TextChunk * MaxTextChunks;

    /// <summary>What ends a text cut to <see cref="MaxTextLength"/>.</summary>
    public const string CutNote = "\n[… cut: the message was longer than a ticket keeps]";

    // A prefix lets several instances (or test runs) share one storage account.
    private readonly TableClient _tickets = tables.GetTableClient(prefix + TicketsTable);
    private readonly TableClient _index = tables.GetTableClient(prefix + IndexTable);
    private readonly ITicketProjection[] _projections = projections?.ToArray() ?? [];

    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        await _tickets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _index.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One point read of a row that never exists (a 404 is an answer); throws when the tables do not answer.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken) =>
        await _tickets.GetEntityIfExistsAsync<TableEntity>("health", "probe", ["PartitionKey"], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Creates the ticket unless this provider message was seen before, in which case the ticket it made is returned.
    /// Safe to repeat after a failure at any step: the dedupe row claims an id first, and a retry finishes that id.
    /// </summary>
    public async Task<TicketCreation> CreateAsync(NewTicket request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ticket = request.Ticket with { Reference = TicketIds.ReferenceOf(request.Ticket.Id) };
        var dedupe = request.ProviderMessageId is { } providerId ? (Partition: DedupePartition(ticket.Channel, providerId), Key: providerId) : default;
        if (request.ProviderMessageId is not null)
        {
            var (claimed, _) = await ClaimAsync(dedupe.Partition, dedupe.Key, ticket.Id, cancellationToken).ConfigureAwait(false);
            if (claimed != ticket.Id)
            {
                var existing = await GetAsync(claimed, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return await DuplicateAsync(existing.Ticket, request, cancellationToken).ConfigureAwait(false);
                }

                // An earlier attempt claimed the id and stopped before writing the ticket: finish it under that id.
                ticket = ticket with { Id = claimed, Reference = TicketIds.ReferenceOf(claimed) };
            }
        }

        ticket = ticket with { MessageCount = 1, UpdatedAt = ticket.CreatedAt };
        for (var attempt = 1; ; attempt++)
        {
            var message = new TicketMessage(1, MessageDirection.Inbound, request.Text, ticket.CreatedAt, request.ProviderMessageId, request.Details);
            try
            {
                List<TableTransactionAction> actions =
                [
                    new(TableTransactionActionType.Add, ToEntity(ticket)),
                    new(TableTransactionActionType.Add, ToEntity(ticket.Id, message)),
                ];
                if (request.ProviderMessageId is { } provider)
                {
                    actions.Add(new(TableTransactionActionType.Add, ProviderMarker(ticket.Id, provider, 1)));
                }

                await BeforeWriteAsync(null, ticket, cancellationToken).ConfigureAwait(false);
                await _tickets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict && attempt < MaxUpdateAttempts)
            {
                var holder = await _tickets.GetEntityIfExistsAsync<TableEntity>(ticket.Reference, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (holder.HasValue && holder.Value!.GetString("Id") == ticket.Id)
                {
                    // This very ticket, written by an earlier attempt (or a concurrent redelivery).
                    return await DuplicateAsync(FromEntity(holder.Value), request, cancellationToken).ConfigureAwait(false);
                }

                // Another ticket has this reference (one in 594 million per ticket stored): take another, and move the
                // dedupe claim with it unless a concurrent redelivery already has.
                var next = TicketIds.NewId(time);
                if (request.ProviderMessageId is not null)
                {
                    next = await MoveClaimAsync(dedupe.Partition, dedupe.Key, ticket.Id, next, cancellationToken).ConfigureAwait(false);
                    if (next != ticket.Id && await GetAsync(next, cancellationToken).ConfigureAwait(false) is { } finished)
                    {
                        return await DuplicateAsync(finished.Ticket, request, cancellationToken).ConfigureAwait(false);
                    }
                }

                ticket = ticket with { Id = next, Reference = TicketIds.ReferenceOf(next) };
            }
        }

        await AfterWriteAsync(null, ticket, cancellationToken).ConfigureAwait(false);
        if (request.JoinsByContact)
        {
            await UpsertIndexAsync(ContactPartition(ticket.Contact.Channel, ticket.Contact.Id), ticket.Contact.Id, ticket.Id, cancellationToken).ConfigureAwait(false);
        }

        return new TicketCreation(ticket, Created: true);
    }

    /// <summary>
    /// A redelivery, or a concurrent delivery, of a message whose ticket is written: the ticket as it is, after making
    /// sure the contact's index names it (or a later ticket). The first delivery writes that row only after the ticket,
    /// so without this a redelivery after a crash in between, or the next message of the same delivery racing the first,
    /// would find no ticket for the contact and open a second one.
    /// </summary>
    private async Task<TicketCreation> DuplicateAsync(Ticket existing, NewTicket request, CancellationToken cancellationToken)
    {
        if (request.JoinsByContact)
        {
            await EnsureContactIndexAsync(existing, cancellationToken).ConfigureAwait(false);
        }

        return new TicketCreation(existing, Created: false);
    }

    /// <summary>Points the contact's index row at this ticket unless it names this one or a later one (ULIDs sort by time).</summary>
    private async Task EnsureContactIndexAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var partition = ContactPartition(ticket.Contact.Channel, ticket.Contact.Id);
        var key = Key(ticket.Contact.Id);
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var row = await _index.GetEntityIfExistsAsync<TableEntity>(partition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            var entity = new TableEntity(partition, key) { ["TicketId"] = ticket.Id };
            try
            {
                if (!row.HasValue)
                {
                    await _index.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }
                else if (string.CompareOrdinal(row.Value!.GetString("TicketId"), ticket.Id) < 0)
                {
                    await _index.UpdateEntityAsync(entity, row.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Written meanwhile (by the first delivery, most likely): read it again.
            }
        }
    }

    /// <summary>The ticket with this id; null when there is none or the text is not shaped like an id.</summary>
    public async Task<StoredTicket?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!TicketIds.TryGetReference(id, out var reference))
        {
            return null;
        }

        var stored = await ReadHeadAsync(reference, cancellationToken).ConfigureAwait(false);
        return stored?.Ticket.Id == id ? stored : null;
    }

    /// <summary>The ticket with this reference, in its canonical form (<see cref="TicketIds.TryNormalizeReference"/>).</summary>
    public async Task<StoredTicket?> FindByReferenceAsync(string reference, CancellationToken cancellationToken) =>
        TicketIds.TryNormalizeReference(reference, out var canonical) && canonical == reference
            ? await ReadHeadAsync(reference, cancellationToken).ConfigureAwait(false)
            : null;

    private async Task<StoredTicket?> ReadHeadAsync(string partition, CancellationToken cancellationToken)
    {
        var response = await _tickets.GetEntityIfExistsAsync<TableEntity>(partition, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? new StoredTicket(FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    /// <summary>The ticket a provider message made or joined, if it was seen before.</summary>
    public async Task<StoredTicket?> FindByProviderMessageAsync(string channel, string providerMessageId, CancellationToken cancellationToken)
    {
        var id = await LookUpAsync(DedupePartition(channel, providerMessageId), providerMessageId, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The contact's latest ticket on the channel, whatever its status: intake decides whether a follow-up joins it,
    /// reopens it (resolved within the last days) or starts a new ticket linked to it (see <see cref="Reopening"/>).
    /// </summary>
    public async Task<StoredTicket?> FindForContactAsync(string channel, string contactId, CancellationToken cancellationToken)
    {
        var id = await LookUpAsync(ContactPartition(channel, contactId), contactId, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The ticket with its thread, outbound records and audit trail in one partition query (they all live in the ticket's
    /// partition), where reading them apart costs four requests; null when there is none.
    /// </summary>
    public async Task<WholeTicket?> GetWholeAsync(string id, CancellationToken cancellationToken)
    {
        if (!TicketIds.TryGetReference(id, out var reference))
        {
            return null;
        }

        StoredTicket? stored = null;
        var messages = new List<TicketMessage>();
        var outbound = new List<OutboundRecord>();
        var audit = new List<AuditEntry>();
        await foreach (var row in _tickets.QueryAsync<TableEntity>(e => e.PartitionKey == reference, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (row.RowKey)
            {
                case HeadRow:
                    stored = new StoredTicket(FromEntity(row), row.ETag);
                    break;
                case var key when key.StartsWith("m|", StringComparison.Ordinal):
                    messages.Add(MessageFromEntity(row));
                    break;
                case var key when key.StartsWith("o|", StringComparison.Ordinal):
                    outbound.Add(OutboundFromEntity(row));
                    break;
                case var key when key.StartsWith("a|", StringComparison.Ordinal):
                    audit.Add(AuditFromEntity(row));
                    break;
            }
        }

        return stored?.Ticket.Id == id ? new WholeTicket(stored, messages, outbound, audit) : null;
    }

    public async Task<IReadOnlyList<TicketMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken)
    {
        var messages = new List<TicketMessage>();
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == Partition(id) && e.RowKey.CompareTo("m|") > 0 && e.RowKey.CompareTo("m}") < 0,
            cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            messages.Add(MessageFromEntity(row));
        }

        return messages;
    }

    /// <summary>
    /// Adds a message to the thread and applies <paramref name="change"/> to the ticket in one transaction, starting
    /// from the ticket as the caller read it and reading again only on a concurrent update. A provider message seen
    /// before (same channel and id) is not added twice: then the message is null and the ticket as given.
    /// </summary>
    public async Task<(TicketMessage? Message, Ticket Ticket)> AppendMessageAsync(
        StoredTicket stored, MessageDirection direction, string text, string? providerMessageId, Func<Ticket, Ticket> change, CancellationToken cancellationToken,
        MessageDetails? details = null, Func<Ticket, Ticket, IReadOnlyList<TicketAudit>>? audit = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(change);
        var id = stored.Ticket.Id;
        if (providerMessageId is not null)
        {
            var (owner, inserted) = await ClaimAsync(DedupePartition(stored.Ticket.Channel, providerMessageId), providerMessageId, id, cancellationToken).ConfigureAwait(false);

            // Seen before on another ticket. On this one it may be in the thread already, or owed by an earlier attempt
            // that claimed the id and stopped: the thread's own marker row, written with the message, decides below.
            if (owner != id)
            {
                return (null, stored.Ticket);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var ticket = change(stored.Ticket) with { MessageCount = stored.Ticket.MessageCount + 1, UpdatedAt = now };
            var entries = audit?.Invoke(stored.Ticket, ticket) ?? [];
            ticket = ticket with { EventCount = stored.Ticket.EventCount + entries.Count };
            var message = new TicketMessage(ticket.MessageCount, direction, text, now, providerMessageId, details);
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.UpdateReplace, ToEntity(ticket), stored.ETag),
                new(TableTransactionActionType.Add, ToEntity(id, message)),
                .. AuditActionsFor(stored.Ticket, entries, now),
            ];
            if (providerMessageId is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, ProviderMarker(id, providerMessageId, message.Sequence)));
            }

            try
            {
                await BeforeWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
                await _tickets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                await AfterWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
                return (message, ticket);
            }
            catch (TableTransactionFailedException ex) when (IsConcurrencyFailure(ex.Status) && attempt < MaxUpdateAttempts)
            {
                // Someone else changed the ticket, took the same message number, or added this very message (a
                // concurrent redelivery): read it again, and redo unless the message is in the thread now.
                stored = await GetAsync(id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Ticket {id} disappeared while a message was added.", ex);
                if (providerMessageId is not null && await HasMessageAsync(id, providerMessageId, cancellationToken).ConfigureAwait(false))
                {
                    return (null, stored.Ticket);
                }
            }
        }
    }

    /// <summary>
    /// Applies an agent's change in one transaction in the ticket's partition: the ticket (matching the ETag it was read
    /// with), its audit entries and, for a reply, the thread entry and the outbound record <c>{kind}:{n}</c> (recorded
    /// pending before anything is sent; n is the reply's number in the thread, the <see cref="Ticket.MessageCount"/> of
    /// the ticket given to <paramref name="decide"/> plus one). <paramref name="decide"/> sees the ticket as stored and
    /// the time, and returns null to change nothing. With <paramref name="ifMatch"/>, a ticket changed since the caller
    /// read it is <see cref="ChangeStatus.Stale"/> and nothing is written; without, a concurrent update makes it read and
    /// decide again, so that concurrent changes all land.
    /// </summary>
    public async Task<ChangeResult> ChangeAsync(string id, ETag? ifMatch, Func<Ticket, DateTimeOffset, TicketChange?> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new ChangeResult(ChangeStatus.NotFound, null);
            }

            if (ifMatch is { } expected && expected.ToString("H") != stored.ETag.ToString("H"))
            {
                return new ChangeResult(ChangeStatus.Stale, stored);
            }

            var now = time.GetUtcNow();
            if (decide(stored.Ticket, now) is not { } change)
            {
                return new ChangeResult(ChangeStatus.Unchanged, stored);
            }

            var ticket = change.Ticket with
            {
                UpdatedAt = now,
                EventCount = stored.Ticket.EventCount + change.Audit.Count,
                MessageCount = stored.Ticket.MessageCount + (change.Outbound is null ? 0 : 1),
            };
            List<TableTransactionAction> actions =
            [
                new(TableTransactionActionType.UpdateReplace, ToEntity(ticket), stored.ETag),
                .. AuditActionsFor(stored.Ticket, change.Audit, now),
            ];
            TicketMessage? message = null;
            OutboundRecord? record = null;
            if (change.Outbound is { } draft)
            {
                message = new TicketMessage(ticket.MessageCount, MessageDirection.Outbound, ClipText(draft.Text), now);
                record = new OutboundRecord($"{draft.Kind}:{ticket.MessageCount.ToString(System.Globalization.CultureInfo.InvariantCulture)}", draft.Kind, draft.Channel, OutboundStatus.Pending, now);
                actions.Add(new(TableTransactionActionType.Add, ToEntity(id, message)));
                actions.Add(new(TableTransactionActionType.Add, ToEntity(id, record)));
            }

            Response<IReadOnlyList<Response>> response;
            try
            {
                await BeforeWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
                response = await _tickets.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (IsConcurrencyFailure(ex.Status))
            {
                if (ifMatch is not null)
                {
                    return new ChangeResult(ChangeStatus.Stale, stored);
                }

                if (attempt >= MaxChangeAttempts)
                {
                    return new ChangeResult(ChangeStatus.Busy, stored);
                }

                // Many agents at one ticket at once: spread the retries so that each round lets one more through.
                await Task.Delay(Random.Shared.Next(2, 4 + (4 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
                continue;
            }

            await AfterWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
            var etag = response.Value.Count > 0 && response.Value[0].Headers.ETag is { } written
                ? written
                : (await GetAsync(id, cancellationToken).ConfigureAwait(false))?.ETag ?? default;
            return new ChangeResult(ChangeStatus.Changed, new StoredTicket(ticket, etag), message, record);
        }
    }

    private const int MaxChangeAttempts = 40;

    private static IEnumerable<TableTransactionAction> AuditActionsFor(Ticket before, IReadOnlyList<TicketAudit> entries, DateTimeOffset at) =>
        entries.Select((entry, i) => new TableTransactionAction(
            TableTransactionActionType.Add,
            ToEntity(before.Id, new AuditEntry(before.EventCount + i + 1, entry.Agent, entry.Action, entry.Detail, at))));

    /// <summary>The ticket's audit trail, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> GetAuditAsync(string ticketId, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == Partition(ticketId) && e.RowKey.CompareTo("a|") > 0 && e.RowKey.CompareTo("a}") < 0,
            cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            entries.Add(AuditFromEntity(row));
        }

        return entries;
    }

    /// <summary>One message of the thread by its number; null when there is none.</summary>
    public async Task<TicketMessage?> GetMessageAsync(string ticketId, int sequence, CancellationToken cancellationToken)
    {
        var row = await _tickets.GetEntityIfExistsAsync<TableEntity>(Partition(ticketId), MessageRow(sequence), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? MessageFromEntity(row.Value!) : null;
    }

    /// <summary>A text cut to what a thread entry keeps, with a note at the cut; unchanged when it fits.</summary>
    public static string ClipText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - CutNote.Length), CutNote);
    }

    /// <summary>
    /// Files a message id we sent (an email's Message-ID) under its ticket, so that an answer referring to it
    /// (<c>In-Reply-To</c>, a bounce) finds the ticket with <see cref="FindByProviderMessageAsync"/>.
    /// </summary>
    public async Task LinkMessageIdAsync(string channel, string messageId, string ticketId, CancellationToken cancellationToken) =>
        await UpsertIndexAsync(DedupePartition(channel, messageId), messageId, ticketId, cancellationToken).ConfigureAwait(false);

    /// <summary>Applies <paramref name="change"/> with optimistic concurrency, retrying on conflict; null when the ticket does not exist.</summary>
    public async Task<Ticket?> UpdateAsync(string id, Func<Ticket, Ticket> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }

            var ticket = change(stored.Ticket) with { UpdatedAt = time.GetUtcNow() };
            try
            {
                await BeforeWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
                await _tickets.UpdateEntityAsync(ToEntity(ticket), stored.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxUpdateAttempts)
            {
                continue;
            }

            // A resolved ticket keeps its contact row: a follow-up within the reopening window must still find it.
            await AfterWriteAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
            return ticket;
        }
    }

    /// <summary>Inserts key → ticket id unless the key exists; returns the id the key maps to, and whether this call inserted it.</summary>
    private async Task<(string TicketId, bool Inserted)> ClaimAsync(string partition, string key, string ticketId, CancellationToken cancellationToken)
    {
        var row = new TableEntity(partition, Key(key)) { ["TicketId"] = ticketId };
        try
        {
            await _index.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return (ticketId, true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            var owner = await LookUpAsync(partition, key, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("An index row conflicted on insert but cannot be read.", ex);
            return (owner, false);
        }
    }

    /// <summary>
    /// Points a dedupe row this caller holds (mapping to <paramref name="from"/>) at <paramref name="to"/>; returns the
    /// id the row maps to afterwards, which is another one when a concurrent caller moved it first.
    /// </summary>
    private async Task<string> MoveClaimAsync(string partition, string key, string from, string to, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = (await _index.GetEntityAsync<TableEntity>(partition, Key(key), cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (row.GetString("TicketId") != from)
            {
                return row.GetString("TicketId");
            }

            row["TicketId"] = to;
            try
            {
                await _index.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return to;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxUpdateAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Whether the thread holds the provider's message: its marker row (<c>p|&lt;id&gt;</c>, written in the same
    /// transaction as the message) exists. A concurrent redelivery adding it again fails on that row.
    /// </summary>
    /// <summary>The message of the ticket's thread that came with this provider message id, if the thread has it.</summary>
    public async Task<TicketMessage?> FindMessageAsync(string ticketId, string providerMessageId, CancellationToken cancellationToken)
    {
        var marker = await _tickets.GetEntityIfExistsAsync<TableEntity>(Partition(ticketId), ProviderRow(providerMessageId), ["Sequence"], cancellationToken).ConfigureAwait(false);
        return marker.HasValue && marker.Value!.GetInt32("Sequence") is { } sequence ? await GetMessageAsync(ticketId, sequence, cancellationToken).ConfigureAwait(false) : null;
    }

    private async Task<bool> HasMessageAsync(string id, string providerMessageId, CancellationToken cancellationToken) =>
        (await _tickets.GetEntityIfExistsAsync<TableEntity>(Partition(id), ProviderRow(providerMessageId), ["RowKey"], cancellationToken).ConfigureAwait(false)).HasValue;

    private async Task UpsertIndexAsync(string partition, string key, string ticketId, CancellationToken cancellationToken) =>
        await _index.UpsertEntityAsync(new TableEntity(partition, Key(key)) { ["TicketId"] = ticketId }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);

    private async Task<string?> LookUpAsync(string partition, string key, CancellationToken cancellationToken)
    {
        var response = await _index.GetEntityIfExistsAsync<TableEntity>(partition, Key(key), ["TicketId"], cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString("TicketId") : null;
    }

    // Index rows spread over partitions by a stable hash of their key: Table Storage serves each partition from one
    // server, and an emulator's lookups cost more the larger the partition.
    private const int DedupeSpread = 16;

    private static string DedupePartition(string channel, string providerMessageId) => $"dedupe|{channel}|{Spread(providerMessageId, DedupeSpread)}";

    private static string ContactPartition(string channel, string contactId) => $"contact|{channel}|{Spread(contactId, DedupeSpread)}";

    /// <summary>What every projection needs in place before a ticket write (<see cref="ITicketProjection"/>).</summary>
    private async Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        foreach (var projection in _projections)
        {
            await projection.BeforeWriteAsync(before, after, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What every projection does once a ticket write has happened.</summary>
    private async Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        foreach (var projection in _projections)
        {
            await projection.AfterWriteAsync(before, after, cancellationToken).ConfigureAwait(false);
        }
    }
}
