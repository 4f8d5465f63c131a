using System.Globalization;
using Azure.Data.Tables;
using Intake.Storage;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Sla;

/// <summary>A ticket the SLA monitor must look at: its row in the due-time index, and the time it is due a check.</summary>
public sealed record SlaCheck(string Partition, string RowKey, string TicketId, DateTimeOffset CheckAt);

/// <summary>
/// What the SLA keeps beside the tickets, as a projection of every ticket write. The due-time index in
/// <c>TicketIndex</c>: one row per ticket whose clock runs, partition <c>sla|0</c>…<c>sla|3</c> (by a hash of the id), row
/// key <c>{checkAt ticks:D19}|{ticketId}</c>, so that the monitor reads only the rows with a key before now. The <c>SlaMetrics</c> table: one row per ticket that was answered,
/// resolved or breached, partition its creation day (<c>yyyyMMdd</c>, UTC), so that a report reads days, not tickets.
/// A write that owes a metrics row leaves a marker in <c>TicketIndex</c> first (partition <c>slametrics|0</c>…<c>|3</c>, row
/// key <c>{write time ticks:D19}|{ticketId}</c>) and removes it once the row is written: a marker left behind is the
/// monitor's to settle from the ticket, so that no crash between the ticket and its metrics loses a figure.
/// </summary>
public sealed class SlaStore(TableServiceClient tables, string prefix = "") : ITicketProjection
{
    public const string MetricsTable = "SlaMetrics";
    private const int SlaSpread = 4;

    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);
    private readonly TableClient _metrics = tables.GetTableClient(prefix + MetricsTable);

    /// <summary>The metrics table (the index table is the ticket store's).</summary>
    public async Task CreateTablesAsync(CancellationToken cancellationToken) =>
        await _metrics.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The ticket's due-time row for its next check, when that moves; and, when the write records a first response, a
    /// resolution or a breach, a marker that its metrics row is owed (<see cref="OwedMetricsAsync"/>), so that a write whose
    /// metrics never follow (a crash, a storage error, a lost race) is made good by the monitor.
    /// </summary>
    public async Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = before is null ? null : SlaRow(before);
        if (SlaRow(after) is { } next && next != old)
        {
            await _index.UpsertEntityAsync(SlaEntity(after, next), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        if (before is not null && RecordsMetrics(before, after))
        {
            var (partition, rowKey) = OwedRow(after);
            await _index.UpsertEntityAsync(new TableEntity(partition, rowKey) { ["TicketId"] = after.Id }, TableUpdateMode.Replace, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The metrics row written (and its marker removed) when the write recorded a first response, a resolution or a breach;
    /// then the old due-time row goes once the ticket's check has moved.
    /// </summary>
    public async Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return;
        }

        if (RecordsMetrics(before, after))
        {
            await WriteMetricsAsync(after, cancellationToken).ConfigureAwait(false);
            var (partition, rowKey) = OwedRow(after);
            await _index.DeleteIfExistsAsync(partition, rowKey, cancellationToken).ConfigureAwait(false);
        }

        if (SlaRow(before) is { } stale && stale != SlaRow(after))
        {
            await _index.DeleteIfExistsAsync(stale.Partition, stale.RowKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> markers of metrics rows owed since before <paramref name="cutoff"/> (younger ones may
    /// belong to a write still under way), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<SlaCheck>> OwedMetricsAsync(DateTimeOffset cutoff, int max, CancellationToken cancellationToken) =>
        Checks(await _index.KeyedBeforeAsync(OwedPrefix, SlaSpread, Ticks(cutoff), null, max, cancellationToken).ConfigureAwait(false));

    /// <summary>Writes the metrics row from the ticket as it is now (none when it no longer exists) and removes the marker.</summary>
    public async Task SettleOwedMetricsAsync(SlaCheck owed, Ticket? ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owed);
        if (ticket is not null)
        {
            await WriteMetricsAsync(ticket, cancellationToken).ConfigureAwait(false);
        }

        await _index.DeleteIfExistsAsync(owed.Partition, owed.RowKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Up to <paramref name="max"/> index rows due a check at <paramref name="now"/> (check time not after it), across the
    /// partitions, oldest first; with <paramref name="after"/>, only rows whose key sorts after it (the last row of the page
    /// before), so that paging always moves on, also past a row that stays where it is.
    /// </summary>
    public async Task<IReadOnlyList<SlaCheck>> DueChecksAsync(DateTimeOffset now, int max, CancellationToken cancellationToken, string? after = null) =>
        Checks(await _index.KeyedBeforeAsync(SlaPrefix, SlaSpread, Ticks(now.AddTicks(1)), after, max, cancellationToken).ConfigureAwait(false));

    /// <summary>Index rows as checks: the ticket each names and the time its key starts with.</summary>
    private static IReadOnlyList<SlaCheck> Checks(List<TableEntity> rows) =>
    [
        .. rows.Select(r => new SlaCheck(r.PartitionKey, r.RowKey, r.GetString("TicketId"), new DateTimeOffset(long.Parse(r.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture), TimeSpan.Zero))),
    ];

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// After the monitor has dealt with a row: the ticket's own row (for its next check, if any) is put in place and this
    /// one removed unless it is that row. A ticket that no longer exists loses its row.
    /// </summary>
    public async Task SettleCheckAsync(SlaCheck check, Ticket? ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var current = ticket is null ? null : SlaRow(ticket);
        if (current is not null && current.Value.RowKey == check.RowKey)
        {
            return;
        }

        if (current is { } row)
        {
            await _index.UpsertEntityAsync(SlaEntity(ticket!, row), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        await _index.DeleteIfExistsAsync(check.Partition, check.RowKey, cancellationToken).ConfigureAwait(false);
    }

    private static (string Partition, string RowKey)? SlaRow(Ticket ticket) =>
        SlaClock.NextCheck(ticket) is { } at
            ? (SlaPartition(TableRows.Bucket(ticket.Id, SlaSpread)), $"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{ticket.Id}")
            : null;

    private static TableEntity SlaEntity(Ticket ticket, (string Partition, string RowKey) row) => new(row.Partition, row.RowKey) { ["TicketId"] = ticket.Id };

    private const string SlaPrefix = "sla|";
    private const string OwedPrefix = "slametrics|";

    private static string SlaPartition(int bucket) => SlaPrefix + bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>A write's metrics marker: keyed by the write's time, so that the write that succeeds removes its own.</summary>
    private static (string Partition, string RowKey) OwedRow(Ticket ticket) =>
        (OwedPartition(TableRows.Bucket(ticket.Id, SlaSpread)), $"{ticket.UpdatedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{ticket.Id}");

    private static string OwedPartition(int bucket) => OwedPrefix + bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the write gives the ticket its first response or a resolution or records a breach.</summary>
    private static bool RecordsMetrics(Ticket before, Ticket after) =>
        (before.FirstRespondedAt is null && after.FirstRespondedAt is not null)
        || (before.ResolvedAt is null && after.ResolvedAt is not null)
        || after.SlaEvents.Skip(before.SlaEvents.Count).Any(e => e.Kind == SlaEventKinds.Breached);

    /// <summary>
    /// Writes (merges) the ticket's metrics row, a function of the ticket alone, so that writing it again changes nothing:
    /// the due times, whether each was breached, and for a target reached, when and with how much paused time then (a
    /// reopened ticket keeps its earlier resolution until it is resolved again). None for a ticket with nothing to report.
    /// </summary>
    private async Task WriteMetricsAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        var firstBreached = SlaClock.Has(ticket.SlaEvents, SlaTargets.FirstResponse, SlaEventKinds.Breached);
        var resolutionBreached = SlaClock.Has(ticket.SlaEvents, SlaTargets.Resolution, SlaEventKinds.Breached);
        if (ticket.FirstRespondedAt is null && ticket.ResolvedAt is null && !firstBreached && !resolutionBreached)
        {
            return;
        }

        var row = new TableEntity(ticket.CreatedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), ticket.Id)
        {
            ["CreatedAt"] = ticket.CreatedAt,
            ["Urgency"] = ticket.Urgency.ToName(),
            ["Channel"] = ticket.Channel,
            ["FirstResponseDueAt"] = ticket.FirstResponseDueAt,
            ["ResolutionDueAt"] = ticket.ResolutionDueAt,
            ["FirstResponseBreached"] = firstBreached,
            ["ResolutionBreached"] = resolutionBreached,
        };
        if (ticket.FirstRespondedAt is { } responded)
        {
            row["FirstRespondedAt"] = responded;
            row["FirstResponsePausedTicks"] = (ticket.FirstResponsePausedFor ?? ticket.PausedFor).Ticks;
        }

        if (ticket.ResolvedAt is { } resolved)
        {
            row["ResolvedAt"] = resolved;
            row["ResolutionPausedTicks"] = (ticket.ResolutionPausedFor ?? ticket.PausedFor).Ticks;
        }

        await _metrics.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The metrics rows of tickets created in [<paramref name="from"/>, <paramref name="to"/>]: the days' partitions, filtered by the exact time.</summary>
    public async Task<IReadOnlyList<SlaMetricsRow>> ReadMetricsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var first = from.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var last = to.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var rows = new List<SlaMetricsRow>();
        var query = _metrics.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey le {last} and CreatedAt ge {from} and CreatedAt le {to}"),
            cancellationToken: cancellationToken);
        await foreach (var e in query.ConfigureAwait(false))
        {
            rows.Add(new SlaMetricsRow(
                e.RowKey,
                e.GetDateTimeOffset("CreatedAt") ?? default,
                TriageNames.TryParseUrgency(e.GetString("Urgency"), out var urgency) ? urgency : Urgency.Normal,
                e.GetString("Channel") ?? "",
                e.GetDateTimeOffset("FirstResponseDueAt"),
                e.GetDateTimeOffset("FirstRespondedAt"),
                TimeSpan.FromTicks(e.GetInt64("FirstResponsePausedTicks") ?? 0),
                e.GetBoolean("FirstResponseBreached") ?? false,
                e.GetDateTimeOffset("ResolutionDueAt"),
                e.GetDateTimeOffset("ResolvedAt"),
                TimeSpan.FromTicks(e.GetInt64("ResolutionPausedTicks") ?? 0),
                e.GetBoolean("ResolutionBreached") ?? false));
        }

        return rows;
    }
}

/// <summary>A ticket's SLA figures as the metrics table keeps them.</summary>
public sealed record SlaMetricsRow(
    string TicketId,
    DateTimeOffset CreatedAt,
    Urgency Urgency,
    string Channel,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? FirstRespondedAt,
    TimeSpan FirstResponsePaused,
    bool FirstResponseBreached,
    DateTimeOffset? ResolutionDueAt,
    DateTimeOffset? ResolvedAt,
    TimeSpan ResolutionPaused,
    bool ResolutionBreached);
