using Azure.Data.Tables;
using Intake.Storage;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>
/// Tickets by status for agents: one listing row per ticket in <c>TicketIndex</c>, partition
/// <c>status|{status}|{bucket}</c>, row key urgency rank, the next SLA due time and id (<see cref="ListRow"/>), so that a
/// page is the first rows of a few partitions and the desk's queue is in the order agents work it; kept in step with each
/// ticket write as a projection of <see cref="TicketStore"/>.
/// </summary>
public sealed class TicketListing(TableServiceClient tables, string prefix = "") : ITicketProjection
{
    private const int ListingSpread = 8;

    private readonly TableClient _tickets = tables.GetTableClient(prefix + TicketStore.TicketsTable);
    private readonly TableClient _index = tables.GetTableClient(prefix + TicketStore.IndexTable);

    /// <summary>
    /// The ticket's row as it will be: a new ticket's inserted (a repeat of the same creation finds it there); a changed
    /// status, urgency or category written over or beside the old row.
    /// </summary>
    public async Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            await _index.AddIfAbsentAsync(ListingEntity(after), cancellationToken).ConfigureAwait(false);
        }
        else if (!SameRow(before, after) || before.Category != after.Category || before.Channel != after.Channel || before.Language != after.Language)
        {
            await _index.UpsertEntityAsync(ListingEntity(after), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The old row, once the ticket has moved to another.</summary>
    public async Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is not null && !SameRow(before, after))
        {
            await _index.DeleteIfExistsAsync(ListPartition(before.Status, ListingBucket(before.Id)), ListRow(before), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool SameRow(Ticket before, Ticket after) => before.Status == after.Status && ListRow(before) == ListRow(after);

    /// <summary>
    /// Tickets by status, most urgent first, then the one whose SLA target falls due first, optionally of one urgency,
    /// channel, category and language. Each status is listed in <c>TicketIndex</c> over <see cref="ListingSpread"/>
    /// partitions, read together and merged by row key; a page's token is the status and the last row key it showed.
    /// Rows are checked against the ticket, so a row left behind by an interrupted move never shows a ticket under the
    /// wrong status.
    /// </summary>
    public async Task<TicketPage> ListAsync(TicketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        TicketStatus[][] groups = query.Statuses is { Count: > 0 } together
            ? [[.. together.Distinct()]]
            : query.Status is { } only ? [[only]] : [.. Enum.GetValues<TicketStatus>().Select(s => new[] { s })];
        var (groupIndex, after) = TicketPage.ParseToken(query.ContinuationToken);
        var tickets = new List<Ticket>(pageSize);
        for (; groupIndex < groups.Length; groupIndex++, after = null)
        {
            var group = groups[groupIndex];
            while (true)
            {
                var need = pageSize - tickets.Count;
                var rows = await NextListingRowsAsync(group, query, after, need, cancellationToken).ConfigureAwait(false);
                var stale = 0;
                foreach (var row in rows)
                {
                    after = row.RowKey;
                    if (await ReadAsync(row.GetString("TicketId"), cancellationToken).ConfigureAwait(false) is { } ticket
                        && row.PartitionKey == ListPartition(ticket.Status, ListingBucket(ticket.Id)) && ListRow(ticket) == row.RowKey
                        && (query.Category is null || ticket.Category == query.Category) && (query.Channel is null || ticket.Channel == query.Channel)
                        && (query.Language is null || ticket.Language == query.Language))
                    {
                        tickets.Add(ticket);
                    }
                    else
                    {
                        stale++;
                    }
                }

                if (tickets.Count >= pageSize)
                {
                    return new TicketPage(tickets, TicketPage.MakeToken(groupIndex, after));
                }

                if (rows.Count < need || stale == 0)
                {
                    break;
                }
            }
        }

        return new TicketPage(tickets, null);
    }

    /// <summary>
    /// The first <paramref name="count"/> listing rows of the statuses of <paramref name="group"/> after
    /// <paramref name="after"/>, across their partitions, merged by row key (urgency, due time).
    /// </summary>
    private async Task<List<TableEntity>> NextListingRowsAsync(TicketStatus[] group, TicketQuery query, string? after, int count, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        if (query.Urgency is { } urgency)
        {
            var rank = UrgencyRank(urgency);
            conditions.Add(TableClient.CreateQueryFilter($"RowKey ge {rank + "|"} and RowKey lt {rank + "}"}"));
        }

        if (after is not null)
        {
            conditions.Add(TableClient.CreateQueryFilter($"RowKey gt {after}"));
        }

        if (query.Channel is { } channel)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Channel eq {channel}"));
        }

        if (query.Category is { } category)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Category eq {category.ToName()}"));
        }

        if (query.Language is { } language)
        {
            conditions.Add(TableClient.CreateQueryFilter($"Language eq {language}"));
        }

        return await _index.FirstOfSpreadAsync(
            ListingSpread * group.Length,
            partition => string.Join(
                " and ",
                conditions.Prepend(TableClient.CreateQueryFilter($"PartitionKey eq {ListPartition(group[partition / ListingSpread], partition % ListingSpread)}"))),
            count,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ticket a listing row names, as stored now; null when it is gone.</summary>
    private async Task<Ticket?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (!TicketIds.TryGetReference(id, out var reference))
        {
            return null;
        }

        var row = await _tickets.GetEntityIfExistsAsync<TableEntity>(reference, TicketRows.HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && TicketRows.FromEntity(row.Value!) is { } ticket && ticket.Id == id ? ticket : null;
    }

    private static TableEntity ListingEntity(Ticket ticket) => new(ListPartition(ticket.Status, ListingBucket(ticket.Id)), ListRow(ticket))
    {
        ["TicketId"] = ticket.Id,
        ["Channel"] = ticket.Channel,
        ["Category"] = ticket.Category.ToName(),
        ["Language"] = ticket.Language,
    };

    private static string ListPartition(TicketStatus status, int bucket) =>
        $"status|{status.ToName()}|{bucket.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>A ticket's listing partition never changes with its status or urgency: it comes from the id's random end.</summary>
    private static int ListingBucket(string ticketId) => TableRows.Bucket(ticketId, ListingSpread);

    /// <summary>Urgent first, then the earliest due time (<see cref="NextDueAt"/>; none last), then the id (oldest first).</summary>
    private static string ListRow(Ticket ticket) =>
        $"{UrgencyRank(ticket.Urgency)}|{(NextDueAt(ticket) ?? DateTimeOffset.MaxValue).UtcTicks:D19}|{ticket.Id}";

    /// <summary>
    /// When the ticket's SLA next falls due: the first response until there is one, then the resolution until it is
    /// resolved; null once both are done. A paused clock keeps its due time here (it moves later when the customer answers).
    /// </summary>
    public static DateTimeOffset? NextDueAt(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            return null;
        }

        return ticket.FirstRespondedAt is null && ticket.FirstResponseDueAt is { } firstResponse ? firstResponse : ticket.ResolutionDueAt;
    }

    private static string UrgencyRank(Urgency urgency) => ((int)Urgency.Urgent - (int)urgency).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
