using System.Text.Json.Serialization;
using Intake.Triage;

namespace Intake.Tickets;

/// <summary>
/// A support ticket: who wrote, what triage decided, the SLA clock and the thread. Every text in it is already
/// redacted; nothing here may ever hold a secret.
/// </summary>
public sealed record Ticket
{
    public required string Id { get; init; }

    /// <summary>What the customer sees and quotes: <c>T-</c> and six unambiguous characters.</summary>
    public required string Reference { get; init; }

    public TicketStatus Status { get; init; } = TicketStatus.New;

    public required string Channel { get; init; }

    public required Contact Contact { get; init; }

    public required string Language { get; init; }

    public required TicketCategory Category { get; init; }

    public required Urgency Urgency { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];

    public IReadOnlyDictionary<string, int> Redactions { get; init; } = new Dictionary<string, int>();

    public TriageEntities Entities { get; init; } = TriageEntities.None;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? FirstResponseDueAt { get; init; }

    public DateTimeOffset? ResolutionDueAt { get; init; }

    public DateTimeOffset? FirstRespondedAt { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>How many messages the thread holds; they are stored beside the ticket, not in it.</summary>
    public int MessageCount { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketStatus>))]
public enum TicketStatus
{
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("waiting_on_customer")] WaitingOnCustomer,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("closed")] Closed,
}

/// <summary>The customer on one channel: the channel's own id for them, and what else we know.</summary>
public sealed record Contact(string Channel, string Id, string? Name = null, string? Email = null);

[JsonConverter(typeof(JsonStringEnumConverter<MessageDirection>))]
public enum MessageDirection
{
    [JsonStringEnumMemberName("inbound")] Inbound,
    [JsonStringEnumMemberName("outbound")] Outbound,
}

/// <summary>One message of the thread, its text redacted. <see cref="ProviderId"/> is the channel's id for it, if any.</summary>
public sealed record TicketMessage(int Sequence, MessageDirection Direction, string Text, DateTimeOffset At, string? ProviderId = null);

[JsonConverter(typeof(JsonStringEnumConverter<OutboundStatus>))]
public enum OutboundStatus
{
    /// <summary>Recorded, about to be sent; a redelivered queue message finding this must not send again blindly.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("sent")] Sent,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("not_configured")] NotConfigured,
    [JsonStringEnumMemberName("bounced")] Bounced,
    [JsonStringEnumMemberName("window_closed")] WindowClosed,
}

/// <summary>
/// A message we send (acknowledgement, reply, survey), recorded before sending under a key that names it once per
/// ticket ("ack", "reply:3", "survey"), so that a redelivered queue message never sends it twice.
/// </summary>
public sealed record OutboundRecord(string Key, string Kind, string Channel, OutboundStatus Status, DateTimeOffset At, string? ProviderMessageId = null);
