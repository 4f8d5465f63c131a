using System.Globalization;
using Azure.Data.Tables;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.HelpCenter;

/// <summary>A ticket's row in the deflection figures: the articles its acknowledgement offered, and when the customer closed it as solved.</summary>
public sealed record DeflectionRow(string TicketId, DateTimeOffset CreatedAt, string Category, string Language, int Articles, DateTimeOffset? SolvedAt);

/// <summary>
/// The <c>Deflection</c> table: one row per ticket whose acknowledgement offered articles, partition its creation day
/// (<c>yyyyMMdd</c>, UTC), so that a report reads days, not tickets; merged with the time the customer closed the
/// ticket as solved by an article.
/// </summary>
public sealed class DeflectionStore(TableServiceClient tables, string prefix = "")
{
    public const string Table = "Deflection";

    private readonly TableClient _table = tables.GetTableClient(prefix + Table);

    public async Task CreateTableAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The acknowledgement that went out offered <paramref name="articles"/> articles.</summary>
    public Task RecordOfferAsync(Ticket ticket, int articles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var row = Row(ticket);
        row["Articles"] = articles;
        return _table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The customer closed the ticket as solved by an article.</summary>
    public Task RecordSolvedAsync(Ticket ticket, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var row = Row(ticket);
        row["SolvedAt"] = at;
        return _table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The rows of tickets created in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public async Task<IReadOnlyList<DeflectionRow>> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var first = Day(from);
        var last = Day(to);
        var rows = new List<DeflectionRow>();
        var query = _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey le {last} and CreatedAt ge {from} and CreatedAt le {to}"),
            cancellationToken: cancellationToken);
        await foreach (var e in query.ConfigureAwait(false))
        {
            rows.Add(new DeflectionRow(
                e.RowKey,
                e.GetDateTimeOffset("CreatedAt") ?? default,
                e.GetString("Category") ?? "",
                e.GetString("Language") ?? "",
                e.GetInt32("Articles") ?? 0,
                e.GetDateTimeOffset("SolvedAt")));
        }

        return rows;
    }

    private static TableEntity Row(Ticket ticket) => new(Day(ticket.CreatedAt), ticket.Id)
    {
        ["CreatedAt"] = ticket.CreatedAt,
        ["Category"] = ticket.Category.ToName(),
        ["Language"] = ticket.Language,
    };

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
