using Intake.HelpCenter;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Sla;
using Intake.Telemetry;
using Intake.Tickets;
using Intake.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Channels;

/// <summary>
/// <see cref="TicketEvent.Created"/>: the automatic first answer (<see cref="Acknowledgement"/>) on the ticket's own
/// channel, with the status page's link (WebForm's <see cref="StatusLinks"/>) and the SLA's first-response time. It is
/// recorded under a fixed key (<see cref="Key"/>) before it is sent, and a redelivery sends it again only if the earlier
/// attempt is known to have failed.
/// </summary>
public sealed partial class AcknowledgementHandler(
    OutboundLog outbound,
    ReplyRouter replies,
    StatusLinks links,
    HelpCatalogue help,
    DeflectionStore deflection,
    IOptions<SlaOptions> sla,
    IOptions<IntakeOptions> intake,
    TimeProvider time,
    ILogger<AcknowledgementHandler> logger) : ITicketEventHandler
{
    /// <summary>The acknowledgement's outbound key: one per ticket.</summary>
    public const string Key = "ack";

    public TicketEvent TicketEvent => TicketEvent.Created;

    public async Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ticket = stored.Ticket;
        if (NotAcknowledged(ticket) is { } reason)
        {
            IntakeTelemetry.AcknowledgementsWithheld.Add(1, new KeyValuePair<string, object?>("reason", reason));
            LogNotAcknowledged(logger, ticket.Id, reason);
            return;
        }

        var (channel, sender) = replies.For(ticket);

        // A link only where we know our public address (the worker has no request to take it from), and only on the
        // ticket's own channel. While the contact is unproven the link proves the address instead: the status page
        // would show our replies to whoever typed the address into the form. The thread keeps the text without the
        // link: a token is never stored, and the status page shows the thread.
        // Help-center articles that may answer it at once, with the link that closes the ticket when one did (that link,
        // like the others, only where we know our public address; the articles go out either way).
        var articles = help.For(ticket);
        string? statusUrl = null, verifyUrl = null, solvedUrl = null;
        if (intake.Value.PublicBaseUrl is { Length: > 0 } baseUrl)
        {
            statusUrl = ticket.Contact.Verified ? links.Url(ticket, baseUrl) : null;
            verifyUrl = !ticket.Contact.Verified && channel == ChannelNames.Email ? links.VerifyUrl(ticket, baseUrl) : null;
            solvedUrl = articles.Count > 0 ? links.SolvedUrl(ticket, baseUrl) : null;
        }

        var (subject, text, kept) = Compose(ticket, sla.Value.For(ticket.Urgency).FirstResponse, channel, statusUrl, verifyUrl, articles, solvedUrl);
        var (record, created) = await outbound.RecordAsync(stored, Key, OutboundKinds.Acknowledgement, channel, kept, cancellationToken).ConfigureAwait(false);
        var claim = await outbound.ClaimAsync(ticket.Id, record, created, cancellationToken).ConfigureAwait(false);
        var result = await outbound.SendOnceAsync(ticket.Id, claim, MailThreading.SentOrEarlier, SendAsync, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            // Sent or refused for good.
            LogAlreadyHandled(logger, ticket.Id, record.Status);
            return;
        }

        LogAcknowledged(logger, ticket.Id, channel, result.Status);
        if (result.Status == OutboundStatus.Sent && articles.Count > 0)
        {
            await deflection.RecordOfferAsync(ticket, articles.Count, cancellationToken).ConfigureAwait(false);
        }

        async Task<SendResult> SendAsync()
        {
            if (sender is null)
            {
                return SendResult.NotConfigured;
            }

            // The acknowledgement counts against the address's daily allowance once, on the attempt that recorded it: a
            // record marked failed was within the allowance when it was counted, so its retries are not counted again
            // (an outage must not use up a customer's allowance). An attempt killed between the count and its mark is
            // taken over uncounted: a crash may let one more through, never withhold one.
            if (created && await outbound.CountAutomaticReplyAsync(AddressKey(channel, ticket.Contact), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), cancellationToken)
                .ConfigureAwait(false) > intake.Value.AutomaticRepliesPerDay)
            {
                LogOverDailyAllowance(logger, ticket.Id, channel);
                return new SendResult(OutboundStatus.Suppressed);
            }

            return await sender.SendAsync(OutboundReply.About(ticket, OutboundKinds.Acknowledgement, subject, text, automatic: true), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Why a ticket gets no acknowledgement, or null when it does.</summary>
    /// <remarks>RFC 3834 and common sense: never answer a machine, a bounce, a mailing list or suspected spam.</remarks>
    internal static string? NotAcknowledged(Ticket ticket) => ticket.Flags.FirstOrDefault(ChannelFlags.NoAcknowledgement.Contains);

    /// <summary>
    /// What is sent (with the links) and what the thread keeps (the links' placeholders in their place: a token is never stored).
    /// </summary>
    internal static (string Subject, string Text, string Kept) Compose(
        Ticket ticket, TimeSpan firstResponse, string channel, string? statusUrl, string? verifyUrl, IReadOnlyList<HelpLink>? articles = null, string? solvedUrl = null)
    {
        var offered = articles?.Select(a => (a.Title, a.Url)).ToList();
        var (subject, text) = Acknowledgement.Compose(ticket, firstResponse, statusUrl, channel, verifyUrl, offered, solvedUrl);
        var (_, kept) = Acknowledgement.Compose(
            ticket, firstResponse, statusUrl is null ? null : StatusLinks.StatusPlaceholder, channel, verifyUrl is null ? null : StatusLinks.VerifyPlaceholder,
            offered, solvedUrl is null ? null : StatusLinks.SolvedPlaceholder);
        return (subject, text, kept);
    }

    /// <summary>
    /// Who receives the message, as the daily allowance counts them: the mailbox of an email address however the ticket came
    /// (<c>victim+1@</c> and <c>v.ictim@gmail.com</c> share one allowance; see <see cref="Mailboxes"/>), else the channel's id.
    /// </summary>
    internal static string AddressKey(string channel, Contact contact) =>
        channel == ChannelNames.Email && contact.Email is { } email ? $"{ChannelNames.Email}:{Mailboxes.Of(email)}" : $"{channel}:{contact.Id}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} is flagged {Reason}; no acknowledgement")]
    private static partial void LogNotAcknowledged(ILogger logger, string ticketId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement of ticket {TicketId} on {Channel} suppressed: the address has had its automatic messages for today")]
    private static partial void LogOverDailyAllowance(ILogger logger, string ticketId, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogAlreadyHandled(ILogger logger, string ticketId, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogAcknowledged(ILogger logger, string ticketId, string channel, OutboundStatus status);
}

/// <summary>
/// <see cref="TicketEvent.CustomerReplied"/>: nothing to send. Intake has already added the customer's message to the
/// thread (and reopened the ticket where it had to); the acknowledgement answers a ticket once, not every message
/// of the conversation.
/// </summary>
public sealed class CustomerReplyHandler : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.CustomerReplied;

    public Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken) => Task.CompletedTask;
}
