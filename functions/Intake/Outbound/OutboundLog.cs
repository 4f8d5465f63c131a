using System.Net;
using Azure;
using Azure.Data.Tables;
using Intake.Storage;
using Intake.Telemetry;
using Intake.Tickets;
using static Intake.Tickets.TicketRows;

namespace Intake.Outbound;

public enum OutboundRecordingStatus
{
    /// <summary>This call recorded the message: its caller sends it.</summary>
    Recorded,

    /// <summary>A message with the key was recorded before; <see cref="OutboundRecording.Record"/> is that record.</summary>
    Existing,

    /// <summary>The ticket as it now is no longer wants the message; nothing was written.</summary>
    NotWanted,
}

/// <summary>What <see cref="OutboundLog.RecordAsync(StoredTicket, string, string, string, string, Func{Ticket, bool}?, CancellationToken)"/> did: the record, unless <see cref="OutboundRecordingStatus.NotWanted"/>.</summary>
public sealed record OutboundRecording(OutboundRecordingStatus Status, OutboundRecord? Record);

/// <summary>
/// The outbound records in each ticket's partition (<c>o|{key}</c>, see <see cref="TicketRows"/>): a message to a customer
/// or to on-call is recorded pending before it is sent, so that only one caller sends it, and marked with the result; and
/// the daily allowance of automatic messages per address in <c>TicketIndex</c> (partition <c>auto|{yyyyMMdd}|{bucket}</c>).
/// </summary>
public sealed class OutboundLog(TableServiceClient tables, TicketStore store, TimeProvider time, string prefix = "")
{
    private const int MaxRecordAttempts = 8;

    // Contention on an allowance is one address's tickets acknowledged at the same moment: more attempts than a ticket update.
    private const int MaxCountAttempts = 32;
    private const int AllowanceSpread = 16;

    /// <summary>
    /// How long an attempt holds a message it took before another may take it over: the attempt is presumed dead (a
    /// process killed between taking the record and marking it). Every sender gives up within 30 s a try (Meta's three
    /// tries within 100 s), so an attempt still alive after this is not sending any more. A takeover after the provider
    /// accepted the message and before its mark sends it twice: a duplicate, never a loss (docs/pipeline.md).
    /// </summary>
    public static readonly TimeSpan AttemptLease = TimeSpan.FromMinutes(2);

    private readonly TableClient _tickets = tables.GetTableClient(prefix + TicketStore.TicketsTable);
    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);

    /// <summary>
    /// Records an outbound message as pending and adds its text to the thread — one transaction with the ticket's
    /// count — unless a message with this key was recorded before. Returns the record and whether this call created
    /// it; only the caller that created it may send (or, for a record marked failed, send again).
    /// </summary>
    public async Task<(OutboundRecord Record, bool Created)> RecordAsync(
        StoredTicket stored, string key, string kind, string channel, string text, CancellationToken cancellationToken)
    {
        var recording = await RecordAsync(stored, key, kind, channel, text, stillWanted: null, cancellationToken).ConfigureAwait(false);
        return (recording.Record!, recording.Status == OutboundRecordingStatus.Recorded);
    }

    /// <summary>
    /// As <see cref="RecordAsync(StoredTicket, string, string, string, string, CancellationToken)"/>, but only while
    /// <paramref name="stillWanted"/> holds for the ticket: it is checked against the ticket given and, after a concurrent
    /// update, against the ticket as read again, so that a message decided on a ticket that has changed since (a survey
    /// for a ticket reopened meanwhile) is <see cref="OutboundRecordingStatus.NotWanted"/> and nothing is written. A record
    /// made earlier under the key is returned as it is, whatever the ticket now says.
    /// </summary>
    public async Task<OutboundRecording> RecordAsync(
        StoredTicket stored, string key, string kind, string channel, string text, Func<Ticket, bool>? stillWanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        for (var attempt = 1; ; attempt++)
        {
            if (stillWanted is not null && !stillWanted(stored.Ticket))
            {
                return new OutboundRecording(OutboundRecordingStatus.NotWanted, null);
            }

            var now = time.GetUtcNow();
            var ticket = stored.Ticket with { MessageCount = stored.Ticket.MessageCount + 1, UpdatedAt = now };
            var record = new OutboundRecord(key, kind, channel, OutboundStatus.Pending, now);
            try
            {
                await _tickets.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(ticket), stored.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(ticket.Id, new TicketMessage(ticket.MessageCount, MessageDirection.Outbound, text, now))),
                        new TableTransactionAction(TableTransactionActionType.Add, Taken(ticket.Id, record)),
                    ],
                    cancellationToken).ConfigureAwait(false);
                return new OutboundRecording(OutboundRecordingStatus.Recorded, record);
            }
            catch (TableTransactionFailedException ex) when (TableRows.IsConcurrencyFailure(ex.Status) && attempt < MaxRecordAttempts)
            {
                var existing = await _tickets.GetEntityIfExistsAsync<TableEntity>(ticket.Reference, OutboundRow(key), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (existing.HasValue)
                {
                    return new OutboundRecording(OutboundRecordingStatus.Existing, OutboundFromEntity(existing.Value!));
                }

                // The ticket changed under us (or took the message number): read it again, ask again, and redo.
                stored = await store.GetAsync(ticket.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Ticket {ticket.Id} disappeared while recording an outbound message.", ex);
            }
        }
    }

    /// <summary>
    /// Who sends a message <see cref="RecordAsync(StoredTicket, string, string, string, string, CancellationToken)"/>
    /// returned: this caller when it created the record; else whoever takes it over (<see cref="TakeAsync"/>).
    /// </summary>
    public async Task<OutboundClaim> ClaimAsync(string ticketId, OutboundRecord record, bool created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (created)
        {
            return new OutboundClaim(record, null);
        }

        var (taken, existing) = await TakeAsync(ticketId, record.Key, cancellationToken).ConfigureAwait(false);
        return new OutboundClaim(taken, taken is null ? existing ?? record : null);
    }

    /// <summary>
    /// Takes an outbound record for sending: only the caller that moves it (by its ETag) from pending-and-untaken (an
    /// agent's reply, recorded with the change), from failed, or from taken by an attempt whose
    /// <see cref="AttemptLease"/> has run out, gets it back; null when it is missing, held by a live attempt that may be
    /// sending it, or done. The counterpart of <see cref="RecordAsync(StoredTicket, string, string, string, string, CancellationToken)"/>'s created flag.
    /// </summary>
    public async Task<(OutboundRecord? Taken, OutboundRecord? Existing)> TakeAsync(string ticketId, string key, CancellationToken cancellationToken)
    {
        var row = await _tickets.GetEntityIfExistsAsync<TableEntity>(Partition(ticketId), OutboundRow(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return (null, null);
        }

        var entity = row.Value!;
        var record = OutboundFromEntity(entity);
        if (!Takeable(record, entity.GetBoolean("Taken") == true))
        {
            return (null, record);
        }

        var mine = record with { Status = OutboundStatus.Pending, At = time.GetUtcNow() };
        try
        {
            await _tickets.UpdateEntityAsync(Taken(ticketId, mine), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            if (record.Status == OutboundStatus.Failed || entity.GetBoolean("Taken") == true)
            {
                IntakeTelemetry.OutboundRetried.Add(
                    1, new("kind", record.Kind), new("channel", record.Channel), new("after", record.Status == OutboundStatus.Failed ? "failed" : "lease"));
            }

            return (mine, record);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // A concurrent redelivery took it first.
            return (null, record);
        }
    }

    public async Task MarkAsync(string ticketId, OutboundRecord record, OutboundStatus status, string? providerMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var updated = record with { Status = status, At = time.GetUtcNow(), ProviderMessageId = providerMessageId ?? record.ProviderMessageId };
        await _tickets.UpsertEntityAsync(Taken(ticketId, updated), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<OutboundRecord>> ListAsync(string ticketId, CancellationToken cancellationToken)
    {
        var records = new List<OutboundRecord>();
        var rows = _tickets.QueryAsync<TableEntity>(
            e => e.PartitionKey == Partition(ticketId) && e.RowKey.CompareTo("o|") > 0 && e.RowKey.CompareTo("o}") < 0,
            cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            records.Add(OutboundFromEntity(row));
        }

        return records;
    }

    /// <summary>
    /// Counts one more automatic message to <paramref name="address"/> on <paramref name="day"/> and returns the day's
    /// count so far, this one included. Concurrent counts never lose one another (ETags).
    /// </summary>
    public async Task<int> CountAutomaticReplyAsync(string address, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var partition = $"auto|{day:yyyyMMdd}|{TableRows.Spread(address, AllowanceSpread)}";

        // Most addresses get one automatic message a day: insert first (one request), count up only when the row exists.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _index.AddEntityAsync(new TableEntity(partition, TableRows.Key(address)) { ["Count"] = 1 }, cancellationToken).ConfigureAwait(false);
                return 1;
            }
            catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
            {
            }

            var existing = await _index.GetEntityIfExistsAsync<TableEntity>(partition, TableRows.Key(address), ["Count"], cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue)
            {
                // Nothing deletes these rows; a conflict on insert and then no row is a store in trouble.
                throw new InvalidOperationException("An automatic-message count conflicted on insert but cannot be read.");
            }

            var count = (existing.Value!.GetInt32("Count") ?? 0) + 1;
            try
            {
                await _index.UpdateEntityAsync(new TableEntity(partition, TableRows.Key(address)) { ["Count"] = count }, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken)
                    .ConfigureAwait(false);
                return count;
            }
            catch (RequestFailedException ex) when (TableRows.IsConcurrencyFailure(ex.Status) && attempt < MaxCountAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Records an escalation notice (<c>o|{key}</c>, kind <c>escalation</c>) as pending, without a thread entry: it is not
    /// part of the customer's conversation. Only the caller that gets <c>Taken</c> may send: the one that created it, or
    /// the one that took over a notice an earlier attempt marked failed.
    /// </summary>
    public async Task<(OutboundRecord Record, bool Taken)> RecordNotificationAsync(string ticketId, string key, string kind, string channel, CancellationToken cancellationToken)
    {
        var record = new OutboundRecord(key, kind, channel, OutboundStatus.Pending, time.GetUtcNow());
        try
        {
            await _tickets.AddEntityAsync(Taken(ticketId, record), cancellationToken).ConfigureAwait(false);
            return (record, true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
        }

        var (taken, existing) = await TakeAsync(ticketId, key, cancellationToken).ConfigureAwait(false);
        return taken is not null ? (taken, true) : (existing ?? record, false);
    }

    /// <summary>
    /// Whether another attempt may take the record: failed (known not sent), pending and never taken (recorded for the
    /// worker to send), or taken by an attempt whose lease has run out.
    /// </summary>
    private bool Takeable(OutboundRecord record, bool taken) => record.Status switch
    {
        OutboundStatus.Failed => true,
        OutboundStatus.Pending => !taken || time.GetUtcNow() - record.At >= AttemptLease,
        _ => false,
    };

    /// <summary>The record's row, marked taken by the attempt that wrote it (its <see cref="OutboundRecord.At"/> starts the lease).</summary>
    private static TableEntity Taken(string ticketId, OutboundRecord record)
    {
        var entity = ToEntity(ticketId, record);
        entity["Taken"] = true;
        return entity;
    }

    /// <summary>
    /// Files a sent mail's Message-ID under its ticket, so that an answer referring to it (<c>In-Reply-To</c>, a bounce)
    /// finds the ticket; anything else (not email, not sent) files nothing.
    /// </summary>
    public async Task LinkSentMailAsync(string ticketId, OutboundRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is { Channel: ChannelNames.Email, Status: OutboundStatus.Sent, ProviderMessageId: { } messageId })
        {
            await store.LinkMessageIdAsync(ChannelNames.Email, messageId, ticketId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What a message on <paramref name="channel"/> answers: the customer's latest message, and for email on a ticket
    /// that has none we know of (a web-form ticket) the latest mail we sent on it, so that the mail threads.
    /// </summary>
    public async Task<string?> ParentAsync(Ticket ticket, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return channel == ChannelNames.Email && ticket.ReplyToId is null
            ? LatestSentMail(await ListAsync(ticket.Id, cancellationToken).ConfigureAwait(false))
            : ticket.ReplyToId;
    }

    /// <summary>The Message-ID of the latest mail we sent on the ticket, to thread a reply under when the customer's own is unknown.</summary>
    public static string? LatestSentMail(IEnumerable<OutboundRecord> outbound) =>
        outbound.Where(o => o is { Channel: ChannelNames.Email, Status: OutboundStatus.Sent, ProviderMessageId: not null })
            .OrderBy(o => o.At)
            .LastOrDefault()?.ProviderMessageId;
}
