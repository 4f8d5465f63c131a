using Intake.Tickets;

namespace Intake.Outbound;

/// <summary>
/// A message to the customer on their channel. <see cref="Kind"/> is <c>acknowledgement</c>, <c>reply</c> or
/// <c>survey</c>; <see cref="Automatic"/> marks messages no person wrote (email: <c>Auto-Submitted: auto-replied</c>).
/// <see cref="InReplyTo"/> and <see cref="References"/> thread email (Telegram replies to <see cref="InReplyTo"/>);
/// <see cref="CustomerWroteAt"/> is when the customer last wrote, for platforms that only allow answers for a while.
/// <see cref="Choices"/>, for a survey, are the answers a channel with buttons offers (Telegram inline keyboard, Meta quick
/// replies, WhatsApp list); channels without them send the text alone.
/// </summary>
public sealed record OutboundReply(
    string TicketId,
    string Reference,
    Contact Contact,
    string Language,
    string Kind,
    string Subject,
    string Text,
    bool Automatic)
{
    public string? InReplyTo { get; init; }

    public IReadOnlyList<string>? References { get; init; }

    public DateTimeOffset? CustomerWroteAt { get; init; }

    public IReadOnlyList<ReplyChoice>? Choices { get; init; }

    /// <summary>
    /// A message on the ticket to its contact, in the ticket's language, that answers <paramref name="parent"/> (email
    /// threads under it, Telegram replies to it; the customer's latest message when not given), with the time the
    /// customer last wrote.
    /// </summary>
    public static OutboundReply About(Ticket ticket, string kind, string subject, string text, bool automatic, string? parent = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        parent ??= ticket.ReplyToId;
        return new(ticket.Id, ticket.Reference, ticket.Contact, ticket.Language, kind, subject, text, automatic)
        {
            InReplyTo = parent,
            References = parent is null ? null : [parent],
            CustomerWroteAt = ticket.LastInboundAt,
        };
    }
}

/// <summary>One answer offered as a button: its label, the signed payload it sends back, and an optional description (a list row's).</summary>
public sealed record ReplyChoice(string Title, string Payload, string? Description = null);

/// <summary>What became of a send: <see cref="OutboundStatus.Sent"/> with the provider's id, or why not.</summary>
public sealed record SendResult(OutboundStatus Status, string? ProviderMessageId = null, string? Error = null)
{
    public static SendResult NotConfigured { get; } = new(OutboundStatus.NotConfigured);
}

/// <summary>
/// The seam to each channel's outbound API. A sender never throws for what the provider refused (it reports
/// <see cref="OutboundStatus.Failed"/>); it throws only for faults worth a retry of the whole queue message.
/// </summary>
public interface IReplySender
{
    /// <summary>The channel this sender serves (<c>email</c>, <c>telegram</c>, ...).</summary>
    string Channel { get; }

    Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken);
}
