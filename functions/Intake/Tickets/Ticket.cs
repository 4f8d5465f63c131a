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

    /// <summary>
    /// The channel's id of the customer's latest message, for an answer to refer to (email: its Message-ID, for
    /// <c>In-Reply-To</c>; Telegram: its message id, for <c>reply_parameters</c>); null where the channel has none.
    /// </summary>
    public string? ReplyToId { get; init; }

    /// <summary>When the customer last wrote: messaging platforms only allow free-form answers for a while after it.</summary>
    public DateTimeOffset? LastInboundAt { get; init; }

    /// <summary>The earlier ticket this one follows on from: the customer wrote again after it was closed or resolved too long ago to reopen.</summary>
    public string? LinkedTicketId { get; init; }

    /// <summary>How many audit entries the ticket has; they are stored beside it (<see cref="AuditEntry"/>), numbered in the same transaction.</summary>
    public int EventCount { get; init; }

    /// <summary>When the monitor warns that the first response is due (80 % of the target); moves with the due time.</summary>
    public DateTimeOffset? FirstResponseWarningAt { get; init; }

    public DateTimeOffset? ResolutionWarningAt { get; init; }

    /// <summary>Since when the SLA clock stands still (the ticket waits on the customer); null while it runs.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>The clock time (business time with a calendar) the ticket has spent paused, earlier pauses only.</summary>
    public TimeSpan PausedFor { get; init; }

    /// <summary><see cref="PausedFor"/> when the first response landed (the SLA report takes it off the response time); null before.</summary>
    public TimeSpan? FirstResponsePausedFor { get; init; }

    /// <summary><see cref="PausedFor"/> when the ticket was last resolved; null before its first resolution.</summary>
    public TimeSpan? ResolutionPausedFor { get; init; }

    /// <summary>What the SLA clock recorded, each kind once per target (<see cref="SlaEvent"/>).</summary>
    public IReadOnlyList<SlaEvent> SlaEvents { get; init; } = [];

    /// <summary>How many times the ticket was reopened: the round of its resolution clock, which runs again from each reopening.</summary>
    public int Reopens { get; init; }

    /// <summary>When the ticket was last reopened; the resolution clock's current round counts from it.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>
    /// Random, in the MAC of every status link of the ticket: a new one (<see cref="ContactVerification.NewNonce"/>)
    /// revokes every link given out before. Null on tickets stored before links could be revoked (signed as a fixed value).
    /// </summary>
    public string? StatusNonce { get; init; }
}

/// <summary>
/// An SLA event: <see cref="Target"/> <c>first_response</c> or <c>resolution</c>, <see cref="Kind"/> <c>warning</c>,
/// <c>breached</c> or <c>met</c>; <see cref="Urgency"/> the ticket's urgency when it happened, <see cref="DueAt"/> the due time then.
/// </summary>
public sealed record SlaEvent(string Target, string Kind, DateTimeOffset At, string Urgency, DateTimeOffset? DueAt, int Round = 0);

/// <summary>Flags a channel sets on a ticket it creates; the ones in <see cref="NoAcknowledgement"/> stop the acknowledgement.</summary>
public static class ChannelFlags
{
    /// <summary>An automatic message (RFC 3834 <c>Auto-Submitted</c>, <c>X-Autoreply</c>...): never answered automatically.</summary>
    public const string AutoSubmitted = "auto_submitted";

    /// <summary>A delivery-status report (bounce).</summary>
    public const string Bounce = "bounce";

    /// <summary>List or bulk mail (<c>Precedence: bulk|junk|list</c>, <c>List-Id</c>).</summary>
    public const string BulkMail = "bulk_mail";

    /// <summary>The provider's spam score is over the configured threshold.</summary>
    public const string SpamSuspected = "spam_suspected";

    /// <summary>
    /// The message named an existing ticket (an email's thread or <c>[T-XXXXXX]</c>) but was not proven to come from that
    /// ticket's contact; it made a new ticket, linked to the one it named.
    /// </summary>
    public const string UnverifiedSender = "unverified_sender";

    /// <summary>An email with no usable sender address anywhere (From, Sender, Reply-To, Return-Path, envelope): kept, never answered.</summary>
    public const string NoSenderAddress = "no_sender_address";

    /// <summary>
    /// A Messenger or Instagram message that came in <c>standby</c>, while another app held the conversation (Meta's
    /// handover protocol): kept for agents, not answered automatically, since the app holding the thread is the one talking.
    /// </summary>
    public const string Standby = "standby_thread";

    public static IReadOnlySet<string> NoAcknowledgement { get; } = new HashSet<string>(StringComparer.Ordinal) { AutoSubmitted, Bounce, BulkMail, SpamSuspected, NoSenderAddress, Standby };
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

/// <summary>
/// The customer on one channel: the channel's own id for them, and what else we know. <see cref="Verified"/> false while
/// nobody has proved that the sender owns <see cref="Email"/> (a web-form address, unauthenticated mail): see
/// <see cref="ContactVerification"/>.
/// </summary>
public sealed record Contact(string Channel, string Id, string? Name = null, string? Email = null, bool Verified = true);

[JsonConverter(typeof(JsonStringEnumConverter<MessageDirection>))]
public enum MessageDirection
{
    [JsonStringEnumMemberName("inbound")] Inbound,
    [JsonStringEnumMemberName("outbound")] Outbound,
}

/// <summary>
/// One message of the thread, its text redacted. <see cref="ProviderId"/> is the channel's id for it, if any;
/// <see cref="Details"/> what else the channel told us (attachments, authentication results, an edit).
/// </summary>
public sealed record TicketMessage(int Sequence, MessageDirection Direction, string Text, DateTimeOffset At, string? ProviderId = null, MessageDetails? Details = null);

/// <summary>
/// What a channel knows about a message besides its text: attachments, facts such as SPF and DKIM results or a spam
/// score (<see cref="Metadata"/>, short strings, never a secret), and for an edited message the channel's id of the
/// message it replaces.
/// </summary>
public sealed record MessageDetails(IReadOnlyList<AttachmentNote> Attachments, IReadOnlyDictionary<string, string> Metadata, string? EditOf = null)
{
    public static MessageDetails None { get; } = new([], new Dictionary<string, string>());

    public bool IsEmpty => Attachments.Count == 0 && Metadata.Count == 0 && EditOf is null;
}

/// <summary>
/// An attachment as the ticket records it. <see cref="Blob"/>: where its content is kept, relative to the ticket's
/// folder (<c>attachments/&lt;ticketId&gt;/…</c>), or null when it was not kept; <see cref="Refused"/> says why not
/// (<c>executable</c>, <c>too_large</c>, <c>over_total</c>, <c>too_large_to_scan</c>, <c>too_deep_to_scan</c>, or
/// <c>secret:&lt;kind&gt;</c> for one withheld because it holds a secret or is a wallet or key file) and is null for
/// what was kept or only noted (a Telegram photo, known by <see cref="ProviderFileId"/>). <see cref="Sha256"/> is the
/// hex SHA-256 of the kept content: a redelivery may finish an interrupted upload only with exactly that content.
/// </summary>
public sealed record AttachmentNote(string Name, string ContentType, long Size, string? Blob = null, string? Refused = null, string? ProviderFileId = null, string? Sha256 = null);

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

    /// <summary>Not sent, on purpose: an automatic message over the contact's daily allowance.</summary>
    [JsonStringEnumMemberName("suppressed")] Suppressed,
}

/// <summary>
/// What someone did to a ticket, before the store numbers and dates it: <see cref="Agent"/> is the agent's name (or
/// <c>customer</c> when the customer's message reopened it), <see cref="Action"/> one of <see cref="AuditActions"/>,
/// <see cref="Detail"/> what changed (<c>open → waiting_on_customer</c>, <c>reply:4</c>).
/// </summary>
public sealed record TicketAudit(string Agent, string Action, string? Detail);

/// <summary>An entry of a ticket's audit trail as stored: numbered from 1 in the ticket's partition, in the transaction of the change it records.</summary>
public sealed record AuditEntry(int Sequence, string Agent, string Action, string? Detail, DateTimeOffset At);

public static class AuditActions
{
    public const string Replied = "replied";
    public const string Resolved = "resolved";
    public const string Reopened = "reopened";
    public const string Status = "status";
    public const string Urgency = "urgency";
    public const string Category = "category";

    /// <summary>The customer's survey scored 1 or 2: the ticket is flagged for a follow-up.</summary>
    public const string SurveyFollowUp = "survey_follow_up";

    /// <summary>The owner of the contact's address proved it (detail: <c>link</c> or <c>email</c>); earlier status links stop working.</summary>
    public const string ContactVerified = "contact_verified";

    /// <summary>The customer closed the ticket with the acknowledgement's link: a help-center article solved the problem.</summary>
    public const string SelfServed = "self_served";

    /// <summary>An agent revoked every status link of the ticket given out so far.</summary>
    public const string StatusLinksRevoked = "status_links_revoked";

    /// <summary>The name recorded when a customer's message reopens a ticket; agents may not use it.</summary>
    public const string Customer = "customer";
}

/// <summary>
/// A message we send (acknowledgement, reply, survey), recorded before sending under a key that names it once per
/// ticket ("ack", "reply:3", "survey"), so that a redelivered queue message never sends it twice.
/// </summary>
public sealed record OutboundRecord(string Key, string Kind, string Channel, OutboundStatus Status, DateTimeOffset At, string? ProviderMessageId = null);
