using System.Globalization;
using Intake.Outbound;
using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Escalation;

/// <summary>
/// Tells the support leads about a ticket on the escalation channel: email to <c>Sla:Escalation:Email</c> through the SendGrid
/// sender and/or a message to <c>Sla:Escalation:TelegramChatId</c> through the bot. Idempotent per key and channel: each notice
/// is recorded as outbound <c>{key}:email</c> / <c>{key}:telegram</c> (kind <c>escalation</c>, not in the customer's thread)
/// before it is sent, so a redelivery or a concurrent run never sends it twice. Callers compose the text from the ticket's
/// facts only (reference, urgency, category, channel, what is due when), never from what the customer wrote.
/// </summary>
public sealed partial class EscalationNotifier(OutboundLog outbound, IEnumerable<IReplySender> senders, IOptionsMonitor<SlaOptions> options, ILogger<EscalationNotifier> logger)
{
    private readonly Dictionary<string, IReplySender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    public async Task NotifyAsync(Ticket ticket, string key, string subject, string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var escalation = options.CurrentValue.Escalation;
        List<(string Channel, Contact Contact)> targets = [];
        if (!string.IsNullOrWhiteSpace(escalation.Email))
        {
            targets.Add((ChannelNames.Email, new Contact(ChannelNames.Email, escalation.Email.Trim(), "Support escalation", escalation.Email.Trim())));
        }

        if (!string.IsNullOrWhiteSpace(escalation.TelegramChatId))
        {
            targets.Add((ChannelNames.Telegram, new Contact(ChannelNames.Telegram, escalation.TelegramChatId.Trim())));
        }

        foreach (var (channel, contact) in targets)
        {
            var (record, taken) = await outbound.RecordNotificationAsync(ticket.Id, $"{key}:{channel}", OutboundKinds.Escalation, channel, ct).ConfigureAwait(false);

            // Not in the customer's thread: an answer from on-call to a notice must not join the ticket.
            var result = await outbound.SendOnceAsync(
                ticket.Id,
                taken ? new OutboundClaim(record, null) : new OutboundClaim(null, record),
                MailThreading.None,
                () => _senders.TryGetValue(channel, out var sender)
                    ? sender.SendAsync(new OutboundReply(ticket.Id, ticket.Reference, contact, "en", OutboundKinds.Escalation, subject, text, Automatic: false), ct)
                    : Task.FromResult(SendResult.NotConfigured),
                ct).ConfigureAwait(false);
            if (result is null)
            {
                LogAlreadyHandled(logger, ticket.Id, record.Key, record.Status);
                continue;
            }

            LogNotified(logger, ticket.Id, record.Key, channel, result.Status);
        }
    }

    /// <summary>The subject and text of an SLA notice: the ticket's facts, never the customer's words.</summary>
    public static (string Subject, string Text) Compose(Ticket ticket, SlaEvent sla)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(sla);
        var target = sla.Target == SlaTargets.FirstResponse ? "first response" : "resolution";
        var what = sla.Kind == SlaEventKinds.Breached ? "breached" : "80 % used";
        var due = sla.DueAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown";
        var subject = $"[{ticket.Reference}] SLA {what}: {target} ({sla.Urgency})";
        var text = string.Join('\n',
            $"Ticket {ticket.Reference} ({ticket.Id})",
            $"SLA target: {target}, {what}",
            $"Due: {due}",
            $"Urgency when it happened: {sla.Urgency}; now: {ticket.Urgency.ToName()}",
            $"Category: {ticket.Category.ToName()}",
            $"Channel: {ticket.Channel}",
            $"Status: {ticket.Status.ToName()}",
            sla.Kind == SlaEventKinds.Breached ? "The ticket has been re-queued one urgency up." : "Please pick it up before it is due.");
        return (subject, text);
    }

    /// <summary>The idempotency key of an SLA notice: <c>sla:{target}:{kind}</c>.</summary>
    public static string KeyOf(SlaEvent sla)
    {
        ArgumentNullException.ThrowIfNull(sla);
        return sla.Round == 0 ? $"sla:{sla.Target}:{sla.Kind}" : $"sla:{sla.Target}:{sla.Kind}:{sla.Round.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {Key} of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogAlreadyHandled(ILogger logger, string ticketId, string key, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation {Key} of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogNotified(ILogger logger, string ticketId, string key, string channel, OutboundStatus status);
}
