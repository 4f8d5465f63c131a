using Intake.Storage;
using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Surveys;

/// <summary>
/// A survey as stored: the ticket it asks about, when it was sent and how (the channel, the delivery status), the
/// ticket's category and language at the time, and the answer once given (score 1–5, the comment redacted).
/// </summary>
public sealed record SurveyRecord(
    string TicketId, DateTimeOffset SentAt, string Channel, string Category, string Language, OutboundStatus Delivery,
    int? Score = null, string? Comment = null, DateTimeOffset? AnsweredAt = null)
{
    public bool Answered => Score is not null;
}

public enum SurveyAnswerStatus
{
    Recorded,
    AlreadyAnswered,
    NotFound,
}

/// <summary>
/// Surveys in Azure Tables, table <c>Surveys</c>. One row per survey in the partition of the day it was sent
/// (<c>yyyyMMdd</c>, UTC; row key the ticket id), so the CSAT report reads the days it covers and no ticket; and one
/// row per ticket in <c>t|{bucket}</c> (row key the ticket id) that says which day holds its survey, for the channels
/// whose answers do not carry a token (X: "reply with a number"). The answer is written once, with the row's ETag.
/// </summary>
public sealed class SurveyStore(TableServiceClient tables, string prefix = "")
{
    public const string TableName = "Surveys";
    private const int TicketSpread = 16;

    private readonly TableClient _table = tables.GetTableClient(prefix + TableName);

    public static string DayOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string TicketPartition(string ticketId) =>
        "t|" + TableRows.Bucket(ticketId, TicketSpread).ToString("x", CultureInfo.InvariantCulture);

    public async Task CreateTableAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The ticket's survey, opened now unless an earlier attempt opened it (then as that attempt recorded it, with its
    /// send time, so that a retry signs the same day). Safe to repeat after a failure at any step.
    /// </summary>
    public async Task<SurveyRecord> OpenAsync(Ticket ticket, string channel, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var sentAt = now;
        try
        {
            await _table.AddEntityAsync(new TableEntity(TicketPartition(ticket.Id), ticket.Id) { ["SentAt"] = now }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            var pointer = await _table.GetEntityAsync<TableEntity>(TicketPartition(ticket.Id), ticket.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            sentAt = pointer.Value.GetDateTimeOffset("SentAt") ?? now;
        }

        var record = new SurveyRecord(ticket.Id, sentAt, channel, ticket.Category.ToName(), ticket.Language, OutboundStatus.Pending);
        try
        {
            await _table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
            return record;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return await GetAsync(DayOf(sentAt), ticket.Id, cancellationToken).ConfigureAwait(false) ?? record;
        }
    }

    /// <summary>What became of sending the survey; only <see cref="OutboundStatus.Sent"/> counts as sent in the report.</summary>
    public async Task MarkDeliveryAsync(SurveyRecord record, OutboundStatus delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(DayOf(record.SentAt), record.TicketId) { ["Delivery"] = delivery.ToName() };
        await _table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SurveyRecord?> GetAsync(string day, string ticketId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(day, ticketId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>The ticket's survey, if one was opened.</summary>
    public async Task<SurveyRecord?> FindForTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var pointer = await _table.GetEntityIfExistsAsync<TableEntity>(TicketPartition(ticketId), ticketId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return pointer.HasValue && pointer.Value!.GetDateTimeOffset("SentAt") is { } sentAt
            ? await GetAsync(DayOf(sentAt), ticketId, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Records the answer unless the survey has one: the update must match the ETag of the unanswered row.</summary>
    public async Task<(SurveyAnswerStatus Status, SurveyRecord? Record)> AnswerAsync(
        string day, string ticketId, int score, string? comment, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(day, ticketId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return (SurveyAnswerStatus.NotFound, null);
        }

        var existing = FromEntity(row.Value!);
        if (existing.Answered)
        {
            return (SurveyAnswerStatus.AlreadyAnswered, existing);
        }

        var answered = existing with { Score = score, Comment = comment, AnsweredAt = at };
        try
        {
            await _table.UpdateEntityAsync(ToEntity(answered), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return (SurveyAnswerStatus.Recorded, answered);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            // Someone answered in between (a second tap, a concurrent post), or the delivery status moved: read again.
            var now = await GetAsync(day, ticketId, cancellationToken).ConfigureAwait(false);
            return now is { Answered: true }
                ? (SurveyAnswerStatus.AlreadyAnswered, now)
                : await AnswerAsync(day, ticketId, score, comment, at, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every survey sent on the days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public async Task<IReadOnlyList<SurveyRecord>> ListAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var low = from.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var high = to.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var records = new List<SurveyRecord>();
        var rows = _table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo(low) >= 0 && e.PartitionKey.CompareTo(high) <= 0, cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            records.Add(FromEntity(row));
        }

        return records;
    }

    /// <summary>Writes a survey as given; for seeding reports in tests and tools.</summary>
    internal async Task PutAsync(SurveyRecord record, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(ToEntity(record), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

    private static TableEntity ToEntity(SurveyRecord record) => new(DayOf(record.SentAt), record.TicketId)
    {
        ["SentAt"] = record.SentAt,
        ["Channel"] = record.Channel,
        ["Category"] = record.Category,
        ["Language"] = record.Language,
        ["Delivery"] = record.Delivery.ToName(),
        ["Score"] = record.Score,
        ["Comment"] = record.Comment,
        ["AnsweredAt"] = record.AnsweredAt,
    };

    private static SurveyRecord FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetDateTimeOffset("SentAt") ?? default,
        e.GetString("Channel") ?? "",
        e.GetString("Category") ?? "",
        e.GetString("Language") ?? "",
        TicketNames.ParseOutboundStatus(e.GetString("Delivery")),
        e.GetInt32("Score"),
        e.GetString("Comment"),
        e.GetDateTimeOffset("AnsweredAt"));
}
