using System.Globalization;
using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;

namespace Intake.Messaging;

/// <summary>
/// An outbox row: a queue message written before it is sent, removed once the queue has it. <see cref="Message"/> is
/// null when the stored JSON cannot be read (nothing to send; the row only wants removing).
/// </summary>
public sealed record OutboxEntry(string Partition, string RowKey, TicketQueueMessage? Message);

/// <summary>
/// The queue outbox in <c>TicketIndex</c>: partition <c>outbox|0</c>…<c>outbox|3</c> (by a hash of the message id), row
/// key <c>{queuedAt ticks:D19}|{messageId}</c>, the message's JSON (ids only) in <c>Message</c>; so that the sweeper reads
/// only the rows older than its cutoff.
/// </summary>
public sealed class OutboxStore(TableServiceClient tables, TimeProvider time, string prefix = "")
{
    private const int OutboxSpread = 4;

    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);

    /// <summary>Writes the message's outbox row, stamped with now; the caller deletes it once the message is queued.</summary>
    public async Task<OutboxEntry> AddAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var partition = OutboxPartition(TableRows.Bucket(message.MessageId, OutboxSpread));
        var rowKey = $"{time.GetUtcNow().UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{TableRows.Key(message.MessageId)}";
        await _index.UpsertEntityAsync(new TableEntity(partition, rowKey) { ["Message"] = message.ToJson() }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        return new OutboxEntry(partition, rowKey, message);
    }

    public Task DeleteAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _index.DeleteIfExistsAsync(entry.Partition, entry.RowKey, cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="max"/> outbox rows written before <paramref name="cutoff"/>, across the partitions, oldest
    /// first; with <paramref name="after"/>, only rows whose key sorts after it (the last row of the page before).
    /// </summary>
    public async Task<IReadOnlyList<OutboxEntry>> BeforeAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken, string? after = null)
    {
        var before = cutoff.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var rows = await _index.KeyedBeforeAsync(OutboxPrefix, OutboxSpread, before, after, max, cancellationToken).ConfigureAwait(false);
        return
        [
            .. rows.Select(r => new OutboxEntry(
                r.PartitionKey, r.RowKey, TicketQueueMessage.TryParse(r.GetString("Message") ?? "", out var message) ? message : null)),
        ];
    }

    private const string OutboxPrefix = "outbox|";

    private static string OutboxPartition(int bucket) => OutboxPrefix + bucket.ToString(CultureInfo.InvariantCulture);
}
