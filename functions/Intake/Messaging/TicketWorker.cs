using System.Globalization;
using Intake.Agents;
using Intake.Channels.WebForm;
using Intake.Outbound;
using Intake.Sla;
using Intake.Surveys;
using Intake.Tickets;
using Intake.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Messaging;

/// <summary>
/// Handles one queue message. Delivery is at least once, so every step is idempotent: the acknowledgement is
/// recorded under a fixed key before it is sent, and a redelivery sends it again only if the earlier attempt is
/// known to have failed. Exceptions propagate: the queue's redelivery (and poison after 5) is the retry policy.
/// </summary>
public sealed partial class TicketWorker(
    TicketStore store,
    ReplyRouter replies,
    StatusLinks links,
    SurveyDesk surveys,
    IOptions<SlaOptions> sla,
    IOptions<IntakeOptions> intake,
    TimeProvider time,
    EscalationNotifier escalations,
    ILogger<TicketWorker> logger)
{
    public const string AcknowledgementKey = "ack";

    public async Task HandleAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stored = await store.GetAsync(message.TicketId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            LogMissingTicket(logger, message.TicketId, message.MessageId);
            return;
        }

        if (message.Event == TicketEvent.Created)
        {
            await AcknowledgeAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        else if (message is { Event: TicketEvent.AgentReplied, Sequence: { } sequence })
        {
            await SendReplyAsync(stored.Ticket, sequence, cancellationToken).ConfigureAwait(false);
        }
        else if (message.Event == TicketEvent.Escalated)
        {
            await AnnounceBreachesAsync(stored.Ticket, cancellationToken).ConfigureAwait(false);
        }
        else if (message.Event == TicketEvent.Resolved)
        {
            await surveys.SendAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        else if (message.Event == TicketEvent.SurveyFollowUp)
        {
            await surveys.NotifyFollowUpAsync(stored.Ticket, cancellationToken).ConfigureAwait(false);
        }
        else if (message.Event == TicketEvent.SurveyAnswered)
        {
            await surveys.ThankAsync(stored, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A ticket the SLA monitor escalated: each breach it has recorded is announced on the escalation channel, once (the
    /// notices are keyed <c>sla:{target}:breached</c>, so a redelivery or a later escalation of the other target sends only what is new).
    /// </summary>
    private async Task AnnounceBreachesAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        foreach (var breach in ticket.SlaEvents.Where(e => e.Kind == SlaEventKinds.Breached))
        {
            var (subject, text) = EscalationNotifier.Compose(ticket, breach);
            await escalations.NotifyAsync(ticket, EscalationNotifier.KeyOf(breach), subject, text, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An agent's reply, recorded pending with its thread entry when the agent sent it: taken for sending by one delivery
    /// only (again only after a known failure), sent as a person's message (no daily allowance, no <c>Auto-Submitted</c>)
    /// and marked like the acknowledgement.
    /// </summary>
    private async Task SendReplyAsync(Ticket ticket, int sequence, CancellationToken cancellationToken)
    {
        var key = $"{AgentDecisions.ReplyKind}:{sequence.ToString(CultureInfo.InvariantCulture)}";
        var (taken, existing) = await store.TakeOutboundAsync(ticket.Id, key, cancellationToken).ConfigureAwait(false);
        var (channel, sender) = replies.For(ticket);
        var claim = new OutboundClaim(taken, taken is null ? existing : null);
        var result = await store.SendOnceAsync(ticket.Id, claim, MailThreading.SentOrEarlier, SendAsync, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            LogReplyAlreadyHandled(logger, ticket.Id, key, existing?.Status);
            return;
        }

        LogReplySent(logger, ticket.Id, key, channel, result.Status);

        async Task<SendResult> SendAsync()
        {
            var message = await store.GetMessageAsync(ticket.Id, sequence, cancellationToken).ConfigureAwait(false);
            if (message is null)
            {
                return new SendResult(OutboundStatus.Failed, Error: "The reply's text is missing from the thread.");
            }

            if (sender is null)
            {
                return SendResult.NotConfigured;
            }

            var parent = channel == "email" ? await MailParentAsync(ticket, cancellationToken).ConfigureAwait(false) : ticket.ReplyToId;
            return await sender.SendAsync(
                new OutboundReply(
                    ticket.Id, ticket.Reference, ticket.Contact, ticket.Language, AgentDecisions.ReplyKind, AgentReplies.Subject(ticket), message.Text,
                    Automatic: false, InReplyTo: parent, References: parent is null ? null : [parent], CustomerWroteAt: ticket.LastInboundAt),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What an emailed reply answers: the customer's latest mail, else (a web-form ticket) the latest mail we sent on the ticket.</summary>
    private async Task<string?> MailParentAsync(Ticket ticket, CancellationToken cancellationToken) =>
        ticket.ReplyToId ?? AgentReplies.LatestSentMail(await store.GetOutboundAsync(ticket.Id, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// A Service Bus delivery's body. One that cannot be read throws, so that it is retried and then dead-lettered like
    /// any failure rather than completed and lost.
    /// </summary>
    public Task HandleServiceBusBodyAsync(BinaryData body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return TicketQueueMessage.TryParse(body.ToString(), out var message) && message is not null
            ? HandleAsync(message, cancellationToken)
            : throw new InvalidDataException("The queue message is not a ticket message.");
    }

    private async Task AcknowledgeAsync(StoredTicket stored, CancellationToken cancellationToken)
    {
        var ticket = stored.Ticket;
        if (ticket.Flags.FirstOrDefault(ChannelFlags.NoAcknowledgement.Contains) is { } reason)
        {
            // RFC 3834 and common sense: never answer a machine, a bounce, a mailing list or suspected spam.
            LogNotAcknowledged(logger, ticket.Id, reason);
            return;
        }

        var (channel, sender) = replies.For(ticket);

        // A link only where we know our public address (the worker has no request to take it from), and only on the
        // ticket's own channel. While the contact is unproven the link proves the address instead: the status page
        // would show our replies to whoever typed the address into the form. The thread keeps the text without the
        // link: a token is never stored, and the status page shows the thread.
        string? statusUrl = null, verifyUrl = null;
        if (intake.Value.PublicBaseUrl is { Length: > 0 } baseUrl)
        {
            statusUrl = ticket.Contact.Verified ? links.Url(ticket, baseUrl) : null;
            verifyUrl = !ticket.Contact.Verified && channel == "email" ? links.VerifyUrl(ticket, baseUrl) : null;
        }

        var firstResponse = sla.Value.For(ticket.Urgency).FirstResponse;
        var (subject, text) = Acknowledgement.Compose(ticket, firstResponse, statusUrl, channel, verifyUrl);
        var (_, kept) = Acknowledgement.Compose(
            ticket, firstResponse, statusUrl is null ? null : StatusLinks.StatusPlaceholder, channel, verifyUrl is null ? null : StatusLinks.VerifyPlaceholder);
        var (record, created) = await store.RecordOutboundAsync(stored, AcknowledgementKey, "acknowledgement", channel, kept, cancellationToken).ConfigureAwait(false);
        var result = await store.SendOnceAsync(ticket.Id, OutboundClaim.Of(record, created), MailThreading.SentOrEarlier, SendAsync, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            // Sent, refused for good, or an earlier attempt stopped mid-send: sending again could make it twice.
            LogAlreadyHandled(logger, ticket.Id, record.Status);
            return;
        }

        LogAcknowledged(logger, ticket.Id, channel, result.Status);

        async Task<SendResult> SendAsync()
        {
            // Every attempt counts against the address's daily allowance: a retry after a failure may count twice, never
            // too little.
            if (sender is null)
            {
                return SendResult.NotConfigured;
            }

            if (await store.CountAutomaticReplyAsync(AddressKey(channel, ticket.Contact), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken)
                .ConfigureAwait(false) > intake.Value.AutomaticRepliesPerDay)
            {
                LogOverDailyAllowance(logger, ticket.Id, channel);
                return new SendResult(OutboundStatus.Suppressed);
            }

            return await sender.SendAsync(
                new OutboundReply(
                    ticket.Id, ticket.Reference, ticket.Contact, ticket.Language, "acknowledgement", subject, text, Automatic: true,
                    InReplyTo: ticket.ReplyToId, References: ticket.ReplyToId is { } replyTo ? [replyTo] : null, CustomerWroteAt: ticket.LastInboundAt),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Who receives the message, as the daily allowance counts them: the mailbox of an email address however the ticket came
    /// (<c>victim+1@</c> and <c>v.ictim@gmail.com</c> share one allowance; see <see cref="Mailboxes"/>), else the channel's id.
    /// </summary>
    internal static string AddressKey(string channel, Contact contact) =>
        channel == "email" && contact.Email is { } email ? "email:" + Mailboxes.Of(email) : $"{channel}:{contact.Id}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {Key} of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogReplyAlreadyHandled(ILogger logger, string ticketId, string key, OutboundStatus? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {Key} of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogReplySent(ILogger logger, string ticketId, string key, string channel, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} is flagged {Reason}; no acknowledgement")]
    private static partial void LogNotAcknowledged(ILogger logger, string ticketId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement of ticket {TicketId} on {Channel} suppressed: the address has had its automatic messages for today")]
    private static partial void LogOverDailyAllowance(ILogger logger, string ticketId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue message {MessageId} names ticket {TicketId}, which does not exist")]
    private static partial void LogMissingTicket(ILogger logger, string ticketId, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogAlreadyHandled(ILogger logger, string ticketId, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogAcknowledged(ILogger logger, string ticketId, string channel, OutboundStatus status);
}
