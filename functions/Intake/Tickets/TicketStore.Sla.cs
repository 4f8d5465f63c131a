using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Intake.Sla;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>A ticket the SLA monitor must look at: its row in the due-time index, and the time it is due a check.</summary>
public sealed record SlaCheck(string Partition, string RowKey, string TicketId, DateTimeOffset CheckAt);

/// <summary>
/// What the SLA needs beside the tickets. The due-time index in <c>TicketIndex</c>: one row per ticket whose clock runs,
/// partition <c>sla|0</c>…<c>sla|3</c> (by a hash of the id), row key <c>{checkAt ticks:D19}|{ticketId}</c>, so that the
/// monitor reads only the rows with a key before now. The <c>SlaMetrics</c> table: one row per ticket that was answered,
/// resolved or breached, partition its creation day (<c>yyyyMMdd</c>, UTC), so that a report reads days, not tickets.
/// Escalation notices: outbound rows <c>o|{key}:{channel}</c> of kind <c>escalation</c> with no thread entry.
/// </summary>
public sealed partial class TicketStore
{
    public const string MetricsTable = "SlaMetrics";
    private const int SlaSpread = 4;

    private TableClient? _metricsClient;

    private TableClient _metrics => _metricsClient ??= tables.GetTableClient(prefix + MetricsTable);

    /// <summary>Everything a ticket write keeps in step besides the ticket: its listing, its due-time row and its metrics row.</summary>
    private async Task AfterChangeAsync(Ticket before, Ticket after, CancellationToken cancellationToken)
    {
        await MoveListingAsync(before, after, cancellationToken).ConfigureAwait(false);
        await MoveSlaCheckAsync(before, after, cancellationToken).ConfigureAwait(false);
        await RecordMetricsAsync(before, after, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Up to <paramref name="max"/> index rows due a check at <paramref name="now"/> (check time not after it), across the
    /// partitions, oldest first; with <paramref name="after"/>, only rows whose key sorts after it (the last row of the page
    /// before), so that paging always moves on, also past a row that stays where it is.
    /// </summary>
    public async Task<IReadOnlyList<SlaCheck>> DueSlaChecksAsync(DateTimeOffset now, int max, CancellationToken cancellationToken, string? after = null)
    {
        var before = (now.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var from = after ?? "";
        var partitions = Enumerable.Range(0, SlaSpread).Select(bucket => ReadListingAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {SlaPartition(bucket)} and RowKey gt {from} and RowKey lt {before}"), max, cancellationToken));
        var rows = await Task.WhenAll(partitions).ConfigureAwait(false);
        return
        [
            .. rows.SelectMany(r => r).OrderBy(r => r.RowKey, StringComparer.Ordinal).Take(max)
                .Select(r => new SlaCheck(r.PartitionKey, r.RowKey, r.GetString("TicketId"), new DateTimeOffset(long.Parse(r.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture), TimeSpan.Zero))),
        ];
    }

    /// <summary>
    /// After the monitor has dealt with a row: the ticket's own row (for its next check, if any) is put in place and this
    /// one removed unless it is that row. A ticket that no longer exists loses its row.
    /// </summary>
    public async Task SettleSlaCheckAsync(SlaCheck check, Ticket? ticket, CancellationToken cancellationToken)
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

        await DeleteIndexRowAsync(check.Partition, check.RowKey, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveSlaCheckAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        var old = before is null ? null : SlaRow(before);
        var next = SlaRow(after);
        if (old == next)
        {
            return;
        }

        if (next is { } row)
        {
            await _index.UpsertEntityAsync(SlaEntity(after, row), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }

        if (old is { } stale)
        {
            await DeleteIndexRowAsync(stale.Partition, stale.RowKey, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteIndexRowAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await _index.DeleteEntityAsync(partition, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    private static (string Partition, string RowKey)? SlaRow(Ticket ticket) =>
        SlaClock.NextCheck(ticket) is { } at
            ? (SlaPartition(Bucket(ticket.Id, SlaSpread)), $"{at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{ticket.Id}")
            : null;

    private static TableEntity SlaEntity(Ticket ticket, (string Partition, string RowKey) row) => new(row.Partition, row.RowKey) { ["TicketId"] = ticket.Id };

    private static string SlaPartition(int bucket) => "sla|" + bucket.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes (merges) the ticket's metrics row when it gets its first response or resolution or a breach is recorded:
    /// the times as they were then, the paused time up to then, and whether the target was breached.
    /// </summary>
    private async Task RecordMetricsAsync(Ticket before, Ticket after, CancellationToken cancellationToken)
    {
        var responded = before.FirstRespondedAt is null && after.FirstRespondedAt is not null;
        var resolved = before.ResolvedAt is null && after.ResolvedAt is not null;
        var breached = after.SlaEvents.Skip(before.SlaEvents.Count).Any(e => e.Kind == SlaEventKinds.Breached);
        if (!responded && !resolved && !breached)
        {
            return;
        }

        var row = new TableEntity(after.CreatedAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), after.Id)
        {
            ["CreatedAt"] = after.CreatedAt,
            ["Urgency"] = after.Urgency.ToName(),
            ["Channel"] = after.Channel,
            ["FirstResponseDueAt"] = after.FirstResponseDueAt,
            ["ResolutionDueAt"] = after.ResolutionDueAt,
            ["FirstResponseBreached"] = SlaClock.Has(after.SlaEvents, SlaTargets.FirstResponse, SlaEventKinds.Breached),
            ["ResolutionBreached"] = SlaClock.Has(after.SlaEvents, SlaTargets.Resolution, SlaEventKinds.Breached),
        };
        if (responded)
        {
            row["FirstRespondedAt"] = after.FirstRespondedAt;
            row["FirstResponsePausedTicks"] = after.PausedFor.Ticks;
        }

        if (resolved)
        {
            row["ResolvedAt"] = after.ResolvedAt;
            row["ResolutionPausedTicks"] = after.PausedFor.Ticks;
        }

        await _metrics.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The metrics rows of tickets created in [<paramref name="from"/>, <paramref name="to"/>]: the days' partitions, filtered by the exact time.</summary>
    public async Task<IReadOnlyList<SlaMetricsRow>> ReadSlaMetricsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
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
            await _tickets.AddEntityAsync(ToEntity(ticketId, record), cancellationToken).ConfigureAwait(false);
            return (record, true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
        }

        var existing = (await _tickets.GetEntityAsync<TableEntity>(Partition(ticketId), OutboundRow(key), cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var found = OutboundFromEntity(existing);
        if (found.Status != OutboundStatus.Failed)
        {
            return (found, false);
        }

        try
        {
            await _tickets.UpdateEntityAsync(ToEntity(ticketId, record), existing.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return (record, true);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return (found, false);
        }
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
