using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Intake.Storage;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>
/// A ticket's partition in <c>Tickets</c> and how its rows map to table entities: the ticket itself in row
/// <c>ticket</c>, its thread in rows <c>m|00001</c>…, outbound records in <c>o|key</c>, audit entries in <c>a|00001</c>…,
/// and a marker <c>p|&lt;provider id&gt;</c> for each provider message in the thread.
/// </summary>
internal static class TicketRows
{
    public const string HeadRow = "ticket";

    // A string property holds at most 32K UTF-16 characters; long texts spread over Text, Text1, Text2... An entity
    // holds at most 1 MiB, so a thread entry keeps 360,000 characters (720 KB) and channels cut longer texts first.
    public const int TextChunk = 30_000;
    public const int MaxTextChunks = 12;

    /// <summary>The longest subject and contact name a ticket keeps: a sender may write 200,000 characters where a table property holds 32,000.</summary>
    private const int MaxSubjectLength = 1_000;

    private const int MaxContactNameLength = 200;

    public static TableEntity ToEntity(Ticket ticket) => new(Partition(ticket.Id), HeadRow)
    {
        ["Id"] = ticket.Id,
        ["Status"] = ticket.Status.ToName(),
        ["Channel"] = ticket.Channel,
        ["ContactChannel"] = ticket.Contact.Channel,
        ["ContactId"] = ticket.Contact.Id,
        ["ContactName"] = ClipLine(ticket.Contact.Name, MaxContactNameLength),
        ["ContactEmail"] = ticket.Contact.Email,
        ["ContactVerified"] = ticket.Contact.Verified,
        ["StatusNonce"] = ticket.StatusNonce,
        ["Language"] = ticket.Language,
        ["Category"] = ticket.Category.ToName(),
        ["Urgency"] = ticket.Urgency.ToName(),
        ["Subject"] = ClipLine(ticket.Subject, MaxSubjectLength),
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
        ["ReplyToId"] = ticket.ReplyToId,
        ["LastInboundAt"] = ticket.LastInboundAt,
        ["LinkedTicketId"] = ticket.LinkedTicketId,
        ["EventCount"] = ticket.EventCount,
        ["FirstResponseWarningAt"] = ticket.FirstResponseWarningAt,
        ["ResolutionWarningAt"] = ticket.ResolutionWarningAt,
        ["PausedAt"] = ticket.PausedAt,
        ["PausedForTicks"] = ticket.PausedFor.Ticks,
        ["FirstResponsePausedTicks"] = ticket.FirstResponsePausedFor?.Ticks,
        ["ResolutionPausedTicks"] = ticket.ResolutionPausedFor?.Ticks,
        ["Reopens"] = ticket.Reopens,
        ["ReopenedAt"] = ticket.ReopenedAt,
        ["SlaEvents"] = ticket.SlaEvents.Count == 0 ? null : JsonSerializer.Serialize(ticket.SlaEvents, TicketJsonContext.Default.IReadOnlyListSlaEvent),
    };

    /// <summary>Cut with an ellipsis where it is stored, so that intake's redaction has read the whole text and a cut never keeps part of a secret.</summary>
    private static string? ClipLine(string? value, int max) => value is null || value.Length <= max ? value : string.Concat(value.AsSpan(0, max - 1), "…");

    public static Ticket FromEntity(TableEntity e) => new()
    {
        Id = e.GetString("Id"),
        Reference = e.PartitionKey,
        Status = TicketNames.ParseStatus(e.GetString("Status")),
        Channel = e.GetString("Channel"),
        Contact = new Contact(
            e.GetString("ContactChannel"),
            e.GetString("ContactId"),
            e.GetString("ContactName"),
            e.GetString("ContactEmail"),
            e.GetBoolean("ContactVerified") ?? ContactVerification.LegacyVerified(e.GetString("Channel"), e.GetString("ContactEmail"))),
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
        ReplyToId = e.GetString("ReplyToId"),
        LastInboundAt = e.GetDateTimeOffset("LastInboundAt"),
        LinkedTicketId = e.GetString("LinkedTicketId"),
        EventCount = e.GetInt32("EventCount") ?? 0,
        FirstResponseWarningAt = e.GetDateTimeOffset("FirstResponseWarningAt"),
        ResolutionWarningAt = e.GetDateTimeOffset("ResolutionWarningAt"),
        PausedAt = e.GetDateTimeOffset("PausedAt"),
        PausedFor = TimeSpan.FromTicks(e.GetInt64("PausedForTicks") ?? 0),
        FirstResponsePausedFor = e.GetInt64("FirstResponsePausedTicks") is { } firstPaused ? TimeSpan.FromTicks(firstPaused) : null,
        ResolutionPausedFor = e.GetInt64("ResolutionPausedTicks") is { } resolutionPaused ? TimeSpan.FromTicks(resolutionPaused) : null,
        Reopens = e.GetInt32("Reopens") ?? 0,
        ReopenedAt = e.GetDateTimeOffset("ReopenedAt"),
        SlaEvents = e.GetString("SlaEvents") is { } events ? JsonSerializer.Deserialize(events, TicketJsonContext.Default.IReadOnlyListSlaEvent) ?? [] : [],
        StatusNonce = e.GetString("StatusNonce"),
    };

    public static TableEntity ToEntity(string ticketId, TicketMessage message)
    {
        var entity = new TableEntity(Partition(ticketId), MessageRow(message.Sequence))
        {
            ["Direction"] = message.Direction == MessageDirection.Inbound ? "inbound" : "outbound",
            ["At"] = message.At,
            ["ProviderId"] = message.ProviderId,
        };
        if (message.Details is { IsEmpty: false } details)
        {
            // One string property: past its size the attachment list is cut (a channel notes at most a few dozen).
            var json = JsonSerializer.Serialize(details, TicketJsonContext.Default.MessageDetails);
            while (json.Length > TextChunk && details.Attachments.Count > 0)
            {
                details = details with { Attachments = [.. details.Attachments.Take(details.Attachments.Count / 2)] };
                json = JsonSerializer.Serialize(details, TicketJsonContext.Default.MessageDetails);
            }

            entity["Details"] = json.Length <= TextChunk ? json : null;
        }

        var text = TicketStore.ClipText(message.Text);
        var chunks = Math.Min(MaxTextChunks, (text.Length + TextChunk - 1) / TextChunk);
        entity["Text"] = text[..Math.Min(text.Length, TextChunk)];
        for (var i = 1; i < chunks; i++)
        {
            entity["Text" + i] = text.Substring(i * TextChunk, Math.Min(TextChunk, text.Length - (i * TextChunk)));
        }

        return entity;
    }

    public static TicketMessage MessageFromEntity(TableEntity e)
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
            e.GetString("ProviderId"),
            e.GetString("Details") is { } details ? JsonSerializer.Deserialize(details, TicketJsonContext.Default.MessageDetails) : null);
    }

    public static TableEntity ToEntity(string ticketId, OutboundRecord record) => new(Partition(ticketId), OutboundRow(record.Key))
    {
        ["Key"] = record.Key,
        ["Kind"] = record.Kind,
        ["Channel"] = record.Channel,
        ["Status"] = record.Status.ToName(),
        ["At"] = record.At,
        ["ProviderMessageId"] = record.ProviderMessageId,
    };

    public static OutboundRecord OutboundFromEntity(TableEntity e) => new(
        e.GetString("Key"),
        e.GetString("Kind"),
        e.GetString("Channel"),
        TicketNames.ParseOutboundStatus(e.GetString("Status")),
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("ProviderMessageId"));

    public static string OutboundRow(string key) => "o|" + TableRows.Key(key);

    public static TableEntity ToEntity(string ticketId, AuditEntry entry) =>
        new(Partition(ticketId), "a|" + entry.Sequence.ToString("D5", System.Globalization.CultureInfo.InvariantCulture))
        {
            ["Agent"] = entry.Agent,
            ["Action"] = entry.Action,
            ["Detail"] = entry.Detail,
            ["At"] = entry.At,
        };

    public static AuditEntry AuditFromEntity(TableEntity row) => new(
        int.Parse(row.RowKey.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture),
        row.GetString("Agent") ?? "",
        row.GetString("Action") ?? "",
        row.GetString("Detail"),
        row.GetDateTimeOffset("At") ?? default);

    public static string MessageRow(int sequence) => "m|" + sequence.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A ticket's partition in <c>Tickets</c>: its reference, which its id ends in.</summary>
    public static string Partition(string ticketId) => TicketIds.ReferenceOf(ticketId);

    public static string ProviderRow(string providerMessageId) => "p|" + TableRows.Key(providerMessageId);

    public static TableEntity ProviderMarker(string ticketId, string providerMessageId, int sequence) =>
        new(Partition(ticketId), ProviderRow(providerMessageId)) { ["Sequence"] = sequence };
}
