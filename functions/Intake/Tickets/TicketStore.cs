using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>A ticket as read, with the ETag that an update must match.</summary>
public sealed record StoredTicket(Ticket Ticket, ETag ETag);

/// <summary>
/// What intake hands the store: the ticket to create and its first message, keyed for deduplication.
/// <see cref="JoinsByContact"/> false where follow-ups never join by sender (the web form), which saves an index write.
/// </summary>
public sealed record NewTicket(Ticket Ticket, string Text, string? ProviderMessageId, bool JoinsByContact = true);

public sealed record TicketCreation(Ticket Ticket, bool Created);

/// <summary>
/// Tickets in Azure Tables. <c>Tickets</c>: one partition per ticket, the ticket itself in row <c>ticket</c> and its
/// thread in rows <c>m|00001</c>…, so a message and the count on the ticket change together in one transaction.
/// <c>TicketIndex</c>: the lookups Table Storage cannot do by itself — provider message ids (dedupe, insert if
/// absent), references, and the open ticket of each contact.
/// </summary>
public sealed class TicketStore(TableServiceClient tables, TimeProvider time, string prefix = "")
{
    public const string TicketsTable = "Tickets";
    public const string IndexTable = "TicketIndex";
    private const string HeadRow = "ticket";
    private const int MaxUpdateAttempts = 8;

    // A string property holds at most 32K UTF-16 characters; long texts spread over Text, Text1, Text2...
    private const int TextChunk = 30_000;
    private const int MaxTextChunks = 30;

    // A prefix lets several instances (or test runs) share one storage account.
    private readonly TableClient _tickets = tables.GetTableClient(prefix + TicketsTable);
    private readonly TableClient _index = tables.GetTableClient(prefix + IndexTable);

    public async Task CreateTablesAsync(CancellationToken cancellationToken)
    {
        await _tickets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _index.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the ticket unless this provider message was seen before, in which case the ticket it made is returned.
    /// Safe to repeat after a failure at any step: the dedupe row claims an id first, and a retry finishes that id.
    /// </summary>
    public async Task<TicketCreation> CreateAsync(NewTicket request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ticket = request.Ticket;
        if (request.ProviderMessageId is { } providerId)
        {
            var (claimed, _) = await ClaimAsync(DedupePartition(ticket.Channel), providerId, ticket.Id, cancellationToken).ConfigureAwait(false);
            if (claimed != ticket.Id)
            {
                var existing = await GetAsync(claimed, cancellationToken).ConfigureAwait(false);
                if (existing is not null)
                {
                    return new TicketCreation(existing.Ticket, Created: false);
                }

                // An earlier attempt claimed the id and stopped before writing the ticket: finish it under that id.
                ticket = ticket with { Id = claimed };
            }
        }

        ticket = ticket with { MessageCount = 1, UpdatedAt = ticket.CreatedAt };
        var message = new TicketMessage(1, MessageDirection.Inbound, request.Text, ticket.CreatedAt, request.ProviderMessageId);
        try
        {
            await _tickets.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(ticket)),
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(ticket.Id, message)),
                ],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            var existing = await GetAsync(ticket.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Ticket {ticket.Id} conflicted on create but cannot be read.", ex);
            return new TicketCreation(existing.Ticket, Created: false);
        }

        await UpsertIndexAsync(ReferencePartition, ticket.Reference, ticket.Id, cancellationToken).ConfigureAwait(false);
        await MoveListingAsync(null, ticket, cancellationToken).ConfigureAwait(false);
        if (request.JoinsByContact)
        {
            await UpsertIndexAsync(ContactPartition(ticket.Contact.Channel), ticket.Contact.Id, ticket.Id, cancellationToken).ConfigureAwait(false);
        }
        return new TicketCreation(ticket, Created: true);
    }

    public async Task<StoredTicket?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await _tickets.GetEntityIfExistsAsync<TableEntity>(id, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? new StoredTicket(FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    public async Task<StoredTicket?> FindByReferenceAsync(string reference, CancellationToken cancellationToken)
    {
        var id = await LookUpAsync(ReferencePartition, reference, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ticket a provider message made or joined, if it was seen before.</summary>
    public async Task<StoredTicket?> FindByProviderMessageAsync(string channel, string providerMessageId, CancellationToken cancellationToken)
    {
        var id = await LookUpAsync(DedupePartition(channel), providerMessageId, cancellationToken).ConfigureAwait(false);
        return id is null ? null : await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The contact's latest ticket on the channel, if it is not resolved or closed: follow-ups join it.</summary>
    public async Task<StoredTicket?> FindOpenForContactAsync(string channel, string contactId, CancellationToken cancellationToken)
    {
        var id = await LookUpAsync(ContactPartition(channel), contactId, cancellationToken).ConfigureAwait(false);
        var stored = id is null ? null : await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return stored?.Ticket.Status is TicketStatus.Resolved or TicketStatus.Closed ? null : stored;
    }

    public async Task<IReadOnlyList<TicketMessage>> GetMessagesAsync(string id, CancellationToken cancellationToken)
    {
        var messages = new List<TicketMessage>();
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == id && e.RowKey.CompareTo("m|") > 0 && e.RowKey.CompareTo("m}") < 0,
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
        StoredTicket stored, MessageDirection direction, string text, string? providerMessageId, Func<Ticket, Ticket> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(change);
        var id = stored.Ticket.Id;
        if (providerMessageId is not null)
        {
            var (owner, inserted) = await ClaimAsync(DedupePartition(stored.Ticket.Channel), providerMessageId, id, cancellationToken).ConfigureAwait(false);

            // Seen before: on another ticket, or on this one and already in the thread (an earlier attempt may have
            // claimed the id and stopped before appending; then the message is still owed).
            if (owner != id || (!inserted && await HasMessageAsync(id, providerMessageId, cancellationToken).ConfigureAwait(false)))
            {
                return (null, stored.Ticket);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var ticket = change(stored.Ticket) with { MessageCount = stored.Ticket.MessageCount + 1, UpdatedAt = now };
            var message = new TicketMessage(ticket.MessageCount, direction, text, now, providerMessageId);
            try
            {
                await _tickets.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(ticket), stored.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(id, message)),
                    ],
                    cancellationToken).ConfigureAwait(false);
                await MoveListingAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
                return (message, ticket);
            }
            catch (TableTransactionFailedException ex) when (IsConcurrencyFailure(ex.Status) && attempt < MaxUpdateAttempts)
            {
                // Someone else changed the ticket (or took the same message number): read it again and redo.
                stored = await GetAsync(id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Ticket {id} disappeared while a message was added.", ex);
            }
        }
    }

    /// <summary>
    /// Records an outbound message as pending and adds its text to the thread — one transaction with the ticket's
    /// count — unless a message with this key was recorded before. Returns the record and whether this call created
    /// it; only the caller that created it may send (or, for a record marked failed, send again).
    /// </summary>
    public async Task<(OutboundRecord Record, bool Created)> RecordOutboundAsync(
        StoredTicket stored, string key, string kind, string channel, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var ticket = stored.Ticket with { MessageCount = stored.Ticket.MessageCount + 1, UpdatedAt = now };
            var record = new OutboundRecord(key, kind, channel, OutboundStatus.Pending, now);
            try
            {
                await _tickets.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(ticket), stored.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(ticket.Id, new TicketMessage(ticket.MessageCount, MessageDirection.Outbound, text, now))),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(ticket.Id, record)),
                    ],
                    cancellationToken).ConfigureAwait(false);
                return (record, true);
            }
            catch (TableTransactionFailedException ex) when (IsConcurrencyFailure(ex.Status) && attempt < MaxUpdateAttempts)
            {
                var existing = await _tickets.GetEntityIfExistsAsync<TableEntity>(ticket.Id, OutboundRow(key), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (existing.HasValue)
                {
                    return (OutboundFromEntity(existing.Value!), false);
                }

                // The ticket changed under us (or took the message number): read it again and redo.
                stored = await GetAsync(ticket.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Ticket {ticket.Id} disappeared while recording an outbound message.", ex);
            }
        }
    }

    public async Task MarkOutboundAsync(string ticketId, OutboundRecord record, OutboundStatus status, string? providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var updated = record with { Status = status, At = time.GetUtcNow(), ProviderMessageId = providerMessageId ?? record.ProviderMessageId };
        await _tickets.UpsertEntityAsync(ToEntity(ticketId, updated), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboundRecord>> GetOutboundAsync(string ticketId, CancellationToken cancellationToken)
    {
        var records = new List<OutboundRecord>();
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == ticketId && e.RowKey.CompareTo("o|") > 0 && e.RowKey.CompareTo("o}") < 0,
            cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            records.Add(OutboundFromEntity(row));
        }

        return records;
    }

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
                await _tickets.UpdateEntityAsync(ToEntity(ticket), stored.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed && attempt < MaxUpdateAttempts)
            {
                continue;
            }

            await MoveListingAsync(stored.Ticket, ticket, cancellationToken).ConfigureAwait(false);
            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                await _index.DeleteEntityAsync(ContactPartition(ticket.Contact.Channel), Key(ticket.Contact.Id), ETag.All, cancellationToken).ConfigureAwait(false);
            }

            return ticket;
        }
    }

    /// <summary>
    /// Tickets by status, most urgent then newest first, optionally of one urgency, channel and category: one
    /// partition per status in <c>TicketIndex</c>. Rows are checked against the ticket, so a row left behind by an
    /// interrupted move never shows a ticket under the wrong status.
    /// </summary>
    public async Task<TicketPage> ListAsync(TicketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        var statuses = query.Status is { } only ? [only] : Enum.GetValues<TicketStatus>();
        var (statusIndex, continuation) = TicketPage.ParseToken(query.ContinuationToken);
        var tickets = new List<Ticket>(pageSize);
        for (; statusIndex < statuses.Length; statusIndex++, continuation = null)
        {
            var status = statuses[statusIndex];
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ListPartition(status)}");
            if (query.Urgency is { } urgency)
            {
                var prefix = UrgencyRank(urgency);
                filter += " and " + TableClient.CreateQueryFilter($"RowKey ge {prefix + "|"} and RowKey lt {prefix + "}"}");
            }

            if (query.Channel is { } channel)
            {
                filter += " and " + TableClient.CreateQueryFilter($"Channel eq {channel}");
            }

            if (query.Category is { } category)
            {
                filter += " and " + TableClient.CreateQueryFilter($"Category eq {category.ToName()}");
            }

            await foreach (var page in _index.QueryAsync<TableEntity>(filter, pageSize - tickets.Count, cancellationToken: cancellationToken)
                .AsPages(continuation, pageSize - tickets.Count).ConfigureAwait(false))
            {
                foreach (var row in page.Values)
                {
                    if (await GetAsync(row.GetString("TicketId"), cancellationToken).ConfigureAwait(false) is { } stored
                        && stored.Ticket.Status == status && ListRow(stored.Ticket) == row.RowKey)
                    {
                        tickets.Add(stored.Ticket);
                    }
                }

                if (page.ContinuationToken is { } next)
                {
                    if (tickets.Count >= pageSize)
                    {
                        return new TicketPage(tickets, TicketPage.MakeToken(statusIndex, next));
                    }

                    continuation = next;
                    continue;
                }

                break;
            }

            if (tickets.Count >= pageSize)
            {
                return new TicketPage(tickets, statusIndex + 1 < statuses.Length ? TicketPage.MakeToken(statusIndex + 1, null) : null);
            }
        }

        return new TicketPage(tickets, null);
    }

    /// <summary>Keeps the listing row in step with the ticket's status and urgency: the new row first, then the old one goes.</summary>
    private async Task MoveListingAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        if (before is not null && before.Status == after.Status && ListRow(before) == ListRow(after))
        {
            return;
        }

        var row = new TableEntity(ListPartition(after.Status), ListRow(after))
        {
            ["TicketId"] = after.Id,
            ["Channel"] = after.Channel,
            ["Category"] = after.Category.ToName(),
        };
        await _index.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (before is not null)
        {
            try
            {
                await _index.DeleteEntityAsync(ListPartition(before.Status), ListRow(before), ETag.All, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
            {
            }
        }
    }

    private static string ListPartition(TicketStatus status) => "status|" + status.ToName();

    /// <summary>Urgent first, then newest first: rank, then the creation time counted down, then the id.</summary>
    private static string ListRow(Ticket ticket) =>
        $"{UrgencyRank(ticket.Urgency)}|{DateTimeOffset.MaxValue.UtcTicks - ticket.CreatedAt.UtcTicks:D19}|{ticket.Id}";

    private static string UrgencyRank(Urgency urgency) => ((int)Urgency.Urgent - (int)urgency).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsConcurrencyFailure(int status) => status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict;

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

    private async Task<bool> HasMessageAsync(string id, string providerMessageId, CancellationToken cancellationToken)
    {
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == id && e.GetString("ProviderId") == providerMessageId, select: ["RowKey"], cancellationToken: cancellationToken);
        await foreach (var _ in rows.ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }

    private async Task UpsertIndexAsync(string partition, string key, string ticketId, CancellationToken cancellationToken) =>
        await _index.UpsertEntityAsync(new TableEntity(partition, Key(key)) { ["TicketId"] = ticketId }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);

    private async Task<string?> LookUpAsync(string partition, string key, CancellationToken cancellationToken)
    {
        var response = await _index.GetEntityIfExistsAsync<TableEntity>(partition, Key(key), ["TicketId"], cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value!.GetString("TicketId") : null;
    }

    private const string ReferencePartition = "ref";

    private static string DedupePartition(string channel) => "dedupe|" + channel;

    private static string ContactPartition(string channel) => "contact|" + channel;

    /// <summary>
    /// Row keys may not hold '/', '\', '#', '?' or control characters, and provider ids (an email Message-ID) can:
    /// such keys are stored as "~" + base64url of their UTF-8.
    /// </summary>
    internal static string Key(string value)
    {
        var safe = value.Length is > 0 and <= 512 && !value.StartsWith('~');
        foreach (var c in value)
        {
            safe &= c is not ('/' or '\\' or '#' or '?' or '\t' or '\n' or '\r') && !char.IsControl(c);
        }

        return safe ? value : "~" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value));
    }

    private static TableEntity ToEntity(Ticket ticket) => new(ticket.Id, HeadRow)
    {
        ["Reference"] = ticket.Reference,
        ["Status"] = ticket.Status.ToName(),
        ["Channel"] = ticket.Channel,
        ["ContactChannel"] = ticket.Contact.Channel,
        ["ContactId"] = ticket.Contact.Id,
        ["ContactName"] = ticket.Contact.Name,
        ["ContactEmail"] = ticket.Contact.Email,
        ["Language"] = ticket.Language,
        ["Category"] = ticket.Category.ToName(),
        ["Urgency"] = ticket.Urgency.ToName(),
        ["Subject"] = ticket.Subject,
        ["Flags"] = JsonSerializer.Serialize(ticket.Flags, TicketJsonContext.Default.IReadOnlyListString),
        ["Redactions"] = JsonSerializer.Serialize(ticket.Redactions, TicketJsonContext.Default.IReadOnlyDictionaryStringInt32),
        ["Entities"] = JsonSerializer.Serialize(ticket.Entities, TicketJsonContext.Default.TriageEntities),
        ["CreatedAt"] = ticket.CreatedAt,
        ["UpdatedAt"] = ticket.UpdatedAt,
        ["FirstResponseDueAt"] = ticket.FirstResponseDueAt,
        ["ResolutionDueAt"] = ticket.ResolutionDueAt,
        ["FirstRespondedAt"] = ticket.FirstRespondedAt,
        ["ResolvedAt"] = ticket.ResolvedAt,
        ["MessageCount"] = ticket.MessageCount,
    };

    private static Ticket FromEntity(TableEntity e) => new()
    {
        Id = e.PartitionKey,
        Reference = e.GetString("Reference"),
        Status = TicketNames.ParseStatus(e.GetString("Status")),
        Channel = e.GetString("Channel"),
        Contact = new Contact(e.GetString("ContactChannel"), e.GetString("ContactId"), e.GetString("ContactName"), e.GetString("ContactEmail")),
        Language = e.GetString("Language"),
        Category = TriageNames.TryParseCategory(e.GetString("Category"), out var category) ? category : TicketCategory.General,
        Urgency = TriageNames.TryParseUrgency(e.GetString("Urgency"), out var urgency) ? urgency : Urgency.Normal,
        Subject = e.GetString("Subject"),
        Flags = JsonSerializer.Deserialize(e.GetString("Flags") ?? "[]", TicketJsonContext.Default.IReadOnlyListString) ?? [],
        Redactions = JsonSerializer.Deserialize(e.GetString("Redactions") ?? "{}", TicketJsonContext.Default.IReadOnlyDictionaryStringInt32)
            ?? new Dictionary<string, int>(),
        Entities = JsonSerializer.Deserialize(e.GetString("Entities") ?? "null", TicketJsonContext.Default.TriageEntities) ?? TriageEntities.None,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        FirstResponseDueAt = e.GetDateTimeOffset("FirstResponseDueAt"),
        ResolutionDueAt = e.GetDateTimeOffset("ResolutionDueAt"),
        FirstRespondedAt = e.GetDateTimeOffset("FirstRespondedAt"),
        ResolvedAt = e.GetDateTimeOffset("ResolvedAt"),
        MessageCount = e.GetInt32("MessageCount") ?? 0,
    };

    private static TableEntity ToEntity(string ticketId, TicketMessage message)
    {
        var entity = new TableEntity(ticketId, MessageRow(message.Sequence))
        {
            ["Direction"] = message.Direction == MessageDirection.Inbound ? "inbound" : "outbound",
            ["At"] = message.At,
            ["ProviderId"] = message.ProviderId,
        };

        var text = message.Text;
        var chunks = Math.Min(MaxTextChunks, (text.Length + TextChunk - 1) / TextChunk);
        entity["Text"] = text[..Math.Min(text.Length, TextChunk)];
        for (var i = 1; i < chunks; i++)
        {
            entity["Text" + i] = text.Substring(i * TextChunk, Math.Min(TextChunk, text.Length - (i * TextChunk)));
        }

        return entity;
    }

    private static TicketMessage MessageFromEntity(TableEntity e)
    {
        var text = new StringBuilder(e.GetString("Text") ?? "");
        for (var i = 1; e.GetString("Text" + i) is { } more; i++)
        {
            text.Append(more);
        }

        return new TicketMessage(
            int.Parse(e.RowKey.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture),
            e.GetString("Direction") == "outbound" ? MessageDirection.Outbound : MessageDirection.Inbound,
            text.ToString(),
            e.GetDateTimeOffset("At") ?? default,
            e.GetString("ProviderId"));
    }

    private static TableEntity ToEntity(string ticketId, OutboundRecord record) => new(ticketId, OutboundRow(record.Key))
    {
        ["Key"] = record.Key,
        ["Kind"] = record.Kind,
        ["Channel"] = record.Channel,
        ["Status"] = record.Status.ToName(),
        ["At"] = record.At,
        ["ProviderMessageId"] = record.ProviderMessageId,
    };

    private static OutboundRecord OutboundFromEntity(TableEntity e) => new(
        e.GetString("Key"),
        e.GetString("Kind"),
        e.GetString("Channel"),
        TicketNames.ParseOutboundStatus(e.GetString("Status")),
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("ProviderMessageId"));

    private static string OutboundRow(string key) => "o|" + Key(key);

    private static string MessageRow(int sequence) => "m|" + sequence.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
}

public static class TicketNames
{
    private static readonly string[] StatusNames = ["new", "open", "waiting_on_customer", "resolved", "closed"];

    public static string ToName(this TicketStatus status) => StatusNames[(int)status];

    private static readonly string[] OutboundNames = ["pending", "sent", "failed", "not_configured", "bounced", "window_closed"];

    public static string ToName(this OutboundStatus status) => OutboundNames[(int)status];

    public static OutboundStatus ParseOutboundStatus(string? name)
    {
        var index = Array.IndexOf(OutboundNames, name);
        return index < 0 ? OutboundStatus.Failed : (OutboundStatus)index;
    }

    public static bool TryParseStatus(string? name, out TicketStatus status)
    {
        var index = Array.IndexOf(StatusNames, name);
        status = index < 0 ? TicketStatus.Open : (TicketStatus)index;
        return index >= 0;
    }

    public static TicketStatus ParseStatus(string? name)
    {
        var index = Array.IndexOf(StatusNames, name);
        return index < 0 ? TicketStatus.Open : (TicketStatus)index;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(TriageEntities))]
internal sealed partial class TicketJsonContext : JsonSerializerContext;
