using Intake.Telemetry;
using Intake.Tickets;

namespace Intake.Outbound;

/// <summary>
/// Who may send an outbound message recorded under its key: <see cref="Mine"/> when this caller recorded it, took it, or
/// took over one an earlier attempt failed or abandoned (<see cref="OutboundLog.TakeAsync"/>); else <see cref="Done"/>,
/// the record as it stands (sent, refused for good, or held by a live attempt), when there is one.
/// </summary>
public sealed record OutboundClaim(OutboundRecord? Mine, OutboundRecord? Done);

/// <summary>
/// A message another attempt holds and may be sending right now: this delivery must neither send it nor count it done,
/// so it fails and the queue brings it back after a delay, by when that attempt has marked it or its lease has run out.
/// </summary>
public sealed class OutboundInFlightException(string ticketId, string key)
    : Exception($"Outbound {key} of ticket {ticketId} is held by another attempt; retried once it is marked or its lease runs out.");

/// <summary>Which sent mails are filed under the ticket by their Message-ID, so that a reply or a bounce referring to one finds the ticket.</summary>
public enum MailThreading
{
    /// <summary>No mail is linked: a notice to on-call (an answer to it must not join the ticket), or a message that never goes by email.</summary>
    None,

    /// <summary>The mail this call sent.</summary>
    Sent,

    /// <summary>The mail this call sent, and one an earlier attempt sent: a redelivery redoes a link that a failure left undone.</summary>
    SentOrEarlier,
}

/// <summary>
/// The one protocol every message to a customer or to on-call goes through (acknowledgements, agent replies, surveys,
/// thank-yous, escalation notices): recorded before it is sent, skipped when done, sent, marked, and its Message-ID linked.
/// The callers record (each in the way its message needs) and say how to send; this does the rest.
/// </summary>
public static class SendOnce
{
    /// <summary>
    /// Sends the message <paramref name="claim"/> made this caller's and marks its record with the result; null, without
    /// sending, when the claim is not this caller's. A send that throws is known not to have gone out: the record is
    /// marked <see cref="OutboundStatus.Failed"/>, so that the queue's redelivery may take it again, and the exception goes
    /// on to the queue. Mail is linked to the ticket as <paramref name="threading"/> says, after the record says sent, so
    /// that a failure to link is redone by a redelivery (which finds the record sent and only links).
    /// </summary>
    public static Task<SendResult?> SendOnceAsync(
        this OutboundLog outbound, string ticketId, OutboundClaim claim, MailThreading threading, Func<Task<SendResult>> send, CancellationToken cancellationToken) =>
        SendOnceAsync(outbound, ticketId, claim, threading, send, afterMarked: null, cancellationToken);

    /// <summary>
    /// As <see cref="SendOnceAsync(OutboundLog, string, OutboundClaim, MailThreading, Func{Task{SendResult}}, CancellationToken)"/>;
    /// <paramref name="afterMarked"/> runs once the record is marked, with the status it was marked (failed when the send
    /// threw, then with no cancellation), for a record of the caller's own that follows the delivery (the survey's).
    /// </summary>
    public static async Task<SendResult?> SendOnceAsync(
        this OutboundLog outbound,
        string ticketId,
        OutboundClaim claim,
        MailThreading threading,
        Func<Task<SendResult>> send,
        Func<OutboundStatus, CancellationToken, Task>? afterMarked,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(send);
        if (claim.Mine is not { } record)
        {
            if (claim.Done is { Status: OutboundStatus.Pending } held)
            {
                throw new OutboundInFlightException(ticketId, held.Key);
            }

            if (threading == MailThreading.SentOrEarlier && claim.Done is { } done)
            {
                await outbound.LinkSentMailAsync(ticketId, done, cancellationToken).ConfigureAwait(false);
            }

            return null;
        }

        using var activity = IntakeTelemetry.Source.StartActivity("intake.send");
        activity?.SetTag("intake.ticket_id", ticketId);
        activity?.SetTag("intake.outbound.kind", record.Kind);
        activity?.SetTag("intake.channel", record.Channel);
        SendResult result;
        try
        {
            result = await send().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await outbound.MarkAsync(ticketId, record, OutboundStatus.Failed, null, CancellationToken.None).ConfigureAwait(false);
            Count(record, OutboundStatus.Failed, activity);
            if (afterMarked is not null)
            {
                await afterMarked(OutboundStatus.Failed, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        await outbound.MarkAsync(ticketId, record, result.Status, result.ProviderMessageId, cancellationToken).ConfigureAwait(false);
        Count(record, result.Status, activity);
        if (afterMarked is not null)
        {
            await afterMarked(result.Status, cancellationToken).ConfigureAwait(false);
        }

        if (threading != MailThreading.None)
        {
            await outbound.LinkSentMailAsync(ticketId, record with { Status = result.Status, ProviderMessageId = result.ProviderMessageId }, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static void Count(OutboundRecord record, OutboundStatus status, System.Diagnostics.Activity? activity)
    {
        IntakeTelemetry.Outbound.Add(1, new("kind", record.Kind), new("channel", record.Channel), new("status", status.ToName()));
        activity?.SetTag("intake.outbound.status", status.ToName());
    }
}
