using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Intake.Sla;
using Intake.Telemetry;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Messaging;

/// <summary>
/// The ticket the message created or joined; <see cref="Duplicate"/> when it had been accepted before. <see cref="Blocked"/>
/// when its contact is blocked (<see cref="ContactBlocks"/>): then there is no <see cref="Ticket"/>, the message was recorded
/// as blocked (<see cref="Duplicate"/> when it had been before) and nothing was queued, so nothing answers it.
/// </summary>
public sealed record IntakeResult(Ticket? Ticket, bool Created, bool Duplicate)
{
    [MemberNotNullWhen(false, nameof(Ticket))]
    public bool Blocked { get; init; }

    public static IntakeResult BlockedMessage(bool duplicate) => new(null, Created: false, duplicate) { Blocked = true };
}

/// <summary>
/// Intake for every channel: triage, store (new ticket, or a follow-up on the ticket the message matched, which it
/// reopens when resolved within 7 days; past that, or once closed, a new ticket linked to it), enqueue by urgency. Only redacted text is stored
/// (<see cref="MessageRedaction"/>). Idempotent: a redelivered message finds its ticket and is enqueued again
/// under the same message id, so an interruption between storing and enqueueing never loses the work. A message that
/// nobody will deliver again (no provider id: the web form without an <c>Idempotency-Key</c>) has its queue message put in
/// the outbox before its ticket is written (<see cref="QueueOutbox.AroundWriteAsync"/>), so that a process killed in
/// between, or a queue that fails, still ends in its acknowledgement; and the client, answered 202, does not send it again
/// as a second ticket. A message from a blocked contact is recorded as blocked and goes no further: no ticket, no queue
/// message, no acknowledgement.
/// </summary>
public sealed partial class TicketIntake(
    TriageEngine triage,
    TicketStore store,
    ContactBlocks blocks,
    ITicketQueue queue,
    QueueOutbox outbox,
    IOptions<SlaOptions> sla,
    TimeProvider time,
    ILogger<TicketIntake> logger,
    IIntakeBackpressure? backpressure = null)
{
    public async Task<IntakeResult> AcceptAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = IntakeTelemetry.Source.StartActivity("intake.accept");
        activity?.SetTag("intake.channel", message.Channel);

        // One pass over subject and text decides the ticket; everything stored is cut out of it or redacted with it.
        // Secrets withheld from attachments count as if they were in the text; our own links' tokens are masked.
        var redacted = MessageRedaction.Redact(triage, message);
        redacted = redacted with { Decision = WithWithheld(redacted.Decision, message.WithheldSecrets), Body = LinkTokens.Mask(redacted.Body) };
        var triaged = redacted.Decision;

        // Before anything is matched, created or queued (and without waiting for the queue: nothing will be queued).
        var recording = await blocks.RecordIfBlockedAsync(message.Channel, message.Contact.Id, redacted.Body, message.ProviderMessageId, cancellationToken)
            .ConfigureAwait(false);
        if (recording != BlockedRecording.NotBlocked)
        {
            activity?.SetTag("intake.blocked", true);
            var contactHash = ContactHash(message);
            LogBlocked(logger, message.Channel, contactHash, recording == BlockedRecording.Duplicate);

            return IntakeResult.BlockedMessage(duplicate: recording == BlockedRecording.Duplicate);
        }

        if (backpressure is not null)
        {
            await backpressure.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        }

        var matched = message.JoinTicketId is { } joinId
            ? await store.GetAsync(joinId, cancellationToken).ConfigureAwait(false)
            : await EditedTicketAsync(message, cancellationToken).ConfigureAwait(false)
                ?? (message.JoinOpenTicket
                    ? await store.FindForContactAsync(message.Channel, message.Contact.Id, cancellationToken).ConfigureAwait(false)
                    : null);
        var now = time.GetUtcNow();
        if (matched is not null && Reopening.Decide(matched.Ticket, now) is not FollowUp.NewLinkedTicket)
        {
            return await FollowUpAsync(matched, message, redacted, cancellationToken).ConfigureAwait(false);
        }

        var id = TicketIds.NewId(time);
        var ticket = new Ticket
        {
            Id = id,
            Reference = TicketIds.ReferenceOf(id),
            Channel = message.Channel,
            Contact = redacted.Contact with { Verified = message.SenderVerified != false },
            StatusNonce = ContactVerification.NewNonce(),
            Language = TicketLanguage.Choose(triaged.Language, message.Text, message.LanguageHint, message.ChosenLanguage),
            Category = triaged.Category,
            Urgency = triaged.Urgency,
            Subject = redacted.Subject,
            Flags = [.. triaged.Flags.Union(message.Flags, StringComparer.Ordinal)],
            Redactions = triaged.Redactions.ToDictionary(r => r.Key.ToName(), r => r.Value),
            Entities = triaged.Entities,
            CreatedAt = now,
            ReplyToId = message.ReplyToId,
            LastInboundAt = now,
            LinkedTicketId = matched?.Ticket.Id ?? message.LinkTicketId,
        };

        ticket = SlaClock.Start(ticket, sla.Value);
        var request = new NewTicket(
            ticket, redacted.Body, message.ProviderMessageId, message.JoinOpenTicket, ContactVerification.DetailsOf(message with { Details = redacted.Details }));
        // A provider sends its message again until it gets a 2xx, and the repeat finds the ticket and queues it: the outbox
        // (two more writes a message) is for the message nobody will send again.
        TicketCreation creation;
        if (message.ProviderMessageId is null)
        {
            creation = await outbox.AroundWriteAsync(
                [Created(ticket, message)],
                async () =>
                {
                    var created = await store.CreateAsync(request, cancellationToken).ConfigureAwait(false);
                    return (created, (IReadOnlyList<TicketQueueMessage>)[Created(created.Ticket, message)]);
                },
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            creation = await store.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            await queue.EnqueueAsync(Created(creation.Ticket, message), cancellationToken).ConfigureAwait(false);
        }

        backpressure?.Added(Created(creation.Ticket, message).MessageId);
        return new IntakeResult(creation.Ticket, creation.Created, Duplicate: !creation.Created);
    }

    /// <summary>
    /// The ticket of the message an edit changes, when that message was stored, was the same contact's on the same channel
    /// (a provider id alone never joins a stranger's ticket) and its ticket still takes follow-ups; null otherwise, and the
    /// edit is matched as any message (an edit of a message on a closed ticket joins what the contact has open now).
    /// </summary>
    private async Task<StoredTicket?> EditedTicketAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.EditsProviderMessageId is not { } original
            || await store.FindByProviderMessageAsync(message.Channel, original, cancellationToken).ConfigureAwait(false) is not { } edited)
        {
            return null;
        }

        var contact = edited.Ticket.Contact;
        var same = contact.Channel == message.Channel
            && string.Equals(ContactBlocks.Normalize(contact.Channel, contact.Id), ContactBlocks.Normalize(message.Channel, message.Contact.Id), StringComparison.Ordinal);
        return same && Reopening.Decide(edited.Ticket, time.GetUtcNow()) is not FollowUp.NewLinkedTicket ? edited : null;
    }

    private static TicketQueueMessage Created(Ticket ticket, InboundMessage message) =>
        TicketQueueMessage.Created(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, (message.Channel, message.ProviderMessageId));

    private async Task<IntakeResult> FollowUpAsync(StoredTicket open, InboundMessage message, RedactedMessage redacted, CancellationToken cancellationToken)
    {
        var (appended, ticket) = await store.AppendMessageAsync(
            open, MessageDirection.Inbound, redacted.Body, message.ProviderMessageId,
            t => ContactVerification.OnFollowUp(Join(t, redacted.Decision) with { ReplyToId = message.ReplyToId ?? t.ReplyToId }, message), cancellationToken,
            ContactVerification.DetailsOf(message with { Details = redacted.Details }),
            (before, after) => [.. Reopened(before, after), .. ContactVerification.AuditOf(before, after)]).ConfigureAwait(false);
        if (appended is null && message.ProviderMessageId is { } providerId
            && await store.FindByProviderMessageAsync(message.Channel, providerId, cancellationToken).ConfigureAwait(false) is { } original
            && await store.FindMessageAsync(original.Ticket.Id, providerId, cancellationToken).ConfigureAwait(false) is { Sequence: 1 })
        {
            // The message that created the contact's ticket, sent again because the process died after the ticket's write
            // and before its queue message: queue it as what it is, or the new ticket would never be acknowledged.
            await queue.EnqueueAsync(Created(original.Ticket, message), cancellationToken).ConfigureAwait(false);
            return new IntakeResult(original.Ticket, Created: false, Duplicate: true);
        }

        var sequence = appended?.Sequence ?? ticket.MessageCount;
        await queue.EnqueueAsync(
            TicketQueueMessage.CustomerReplied(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, sequence, (message.Channel, message.ProviderMessageId)),
            cancellationToken).ConfigureAwait(false);
        return new IntakeResult(ticket, Created: false, Duplicate: appended is null);
    }

    /// <summary>A short hash of the contact, to tell a log's blocked contacts apart without naming an address.</summary>
    private static string ContactHash(InboundMessage message) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{message.Channel}|{ContactBlocks.Normalize(message.Channel, message.Contact.Id)}")).AsSpan(0, 6));

    [LoggerMessage(Level = LogLevel.Information, Message = "Message on {Channel} from blocked contact {ContactHash} recorded as blocked (duplicate {Duplicate}); no ticket, no acknowledgement")]
    private static partial void LogBlocked(ILogger logger, string channel, string contactHash, bool duplicate);

    /// <summary>A follow-up can only raise the stakes: higher urgency (and its category), more flags, more entities.</summary>
    private Ticket Join(Ticket ticket, TriageResult triaged)
    {
        var redactions = new Dictionary<string, int>(ticket.Redactions);
        foreach (var (kind, count) in triaged.Redactions)
        {
            redactions[kind.ToName()] = redactions.GetValueOrDefault(kind.ToName()) + count;
        }

        var raised = triaged.Urgency > ticket.Urgency;
        var now = time.GetUtcNow();
        var reopen = Reopening.Decide(ticket, now) == FollowUp.Reopen;
        var joined = ticket with
        {
            LastInboundAt = now,
            Status = ticket.Status == TicketStatus.WaitingOnCustomer || reopen ? TicketStatus.Open : ticket.Status,
            ResolvedAt = reopen ? null : ticket.ResolvedAt,
            Category = raised ? triaged.Category : ticket.Category,
            Flags = [.. ticket.Flags.Union(triaged.Flags, StringComparer.Ordinal)],
            Redactions = redactions,
            Entities = ticket.Entities.Merge(triaged.Entities),
        };
        if (raised)
        {
            joined = SlaClock.Raise(joined, triaged.Urgency, now, sla.Value);
        }

        // The customer's answer restarts a clock that waited on them; a reopening runs the resolution clock again.
        return SlaClock.Track(ticket, reopen ? SlaClock.Reopen(joined, now, sla.Value) : joined, now, sla.Value);
    }

    /// <summary>The audit entry of a reopening, decided on the ticket as it was written (a concurrent change may have reopened it first).</summary>
    private static IReadOnlyList<TicketAudit> Reopened(Ticket before, Ticket after) =>
        before.Status == TicketStatus.Resolved && after.Status == TicketStatus.Open
            ? [new TicketAudit(AuditActions.Customer, AuditActions.Reopened, "resolved → open"), .. SlaClock.AuditOf(before, after)]
            : SlaClock.AuditOf(before, after);

    /// <summary>
    /// Triage's result with the secrets of what the channel withheld added (DESIGN §6: every kind but <c>otp</c> exposes
    /// funds or an account), so that a new ticket and a follow-up alike count them, flag and raise the ticket.
    /// </summary>
    private static TriageResult WithWithheld(TriageResult triaged, IReadOnlyDictionary<string, int> withheld)
    {
        if (withheld.Count == 0)
        {
            return triaged;
        }

        var redactions = new Dictionary<SecretKind, int>(triaged.Redactions);
        var exposed = false;
        foreach (var (name, count) in withheld)
        {
            if (count > 0 && TriageNames.TryParseSecretKind(name, out var kind))
            {
                redactions[kind] = redactions.GetValueOrDefault(kind) + count;
                exposed |= kind != SecretKind.Otp;
            }
        }

        return triaged with
        {
            Secrets = [.. redactions.Keys.Order()],
            Redactions = redactions,
            Flags = exposed ? [.. triaged.Flags.Append(TriageFlags.SecretExposed).Distinct(StringComparer.Ordinal)] : triaged.Flags,
            Urgency = exposed ? Urgency.Urgent : triaged.Urgency,
        };
    }
}
