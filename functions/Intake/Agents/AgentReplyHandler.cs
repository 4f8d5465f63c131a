using System.Globalization;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Agents;

/// <summary>
/// <see cref="TicketEvent.AgentReplied"/>: an agent's reply, recorded pending with its thread entry when the agent sent it
/// (<see cref="AgentDesk.ReplyAsync"/>), taken for sending by one delivery only (again only after a known failure), sent
/// as a person's message (no daily allowance, no <c>Auto-Submitted</c>) and marked like the acknowledgement.
/// </summary>
public sealed partial class AgentReplyHandler(TicketStore store, OutboundLog outbound, ReplyRouter replies, ILogger<AgentReplyHandler> logger) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.AgentReplied;

    public async Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Sequence is not { } sequence)
        {
            // The reply's thread entry is what the message names: without it there is nothing to send.
            return;
        }

        var ticket = stored.Ticket;
        var key = KeyOf(sequence);
        var (taken, existing) = await outbound.TakeAsync(ticket.Id, key, cancellationToken).ConfigureAwait(false);
        var (channel, sender) = replies.For(ticket);
        var claim = new OutboundClaim(taken, taken is null ? existing : null);
        var result = await outbound.SendOnceAsync(ticket.Id, claim, MailThreading.SentOrEarlier, SendAsync, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            LogReplyAlreadyHandled(logger, ticket.Id, key, existing?.Status);
            return;
        }

        LogReplySent(logger, ticket.Id, key, channel, result.Status);

        async Task<SendResult> SendAsync()
        {
            var reply = await store.GetMessageAsync(ticket.Id, sequence, cancellationToken).ConfigureAwait(false);
            if (reply is null)
            {
                return new SendResult(OutboundStatus.Failed, Error: "The reply's text is missing from the thread.");
            }

            if (sender is null)
            {
                return SendResult.NotConfigured;
            }

            var parent = await outbound.ParentAsync(ticket, channel, cancellationToken).ConfigureAwait(false);
            return await sender.SendAsync(
                OutboundReply.About(ticket, OutboundKinds.Reply, AgentReplies.Subject(ticket), reply.Text, automatic: false, parent), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The reply's outbound key: <c>reply:{n}</c>, n its thread entry.</summary>
    internal static string KeyOf(int sequence) => $"{OutboundKinds.Reply}:{sequence.ToString(CultureInfo.InvariantCulture)}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {Key} of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogReplyAlreadyHandled(ILogger logger, string ticketId, string key, OutboundStatus? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {Key} of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogReplySent(ILogger logger, string ticketId, string key, string channel, OutboundStatus status);
}
