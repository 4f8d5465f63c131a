using System.Globalization;
using Intake.Agents;
using Intake.Escalation;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Surveys;

public enum SurveyOutcome
{
    Recorded,

    /// <summary>The survey has its answer already (409): nothing recorded.</summary>
    AlreadyAnswered,

    /// <summary>Past <see cref="SurveyOptions.Validity"/> (410): nothing recorded.</summary>
    Expired,

    /// <summary>Not a token of ours, tampered with, or no such survey (404): nothing recorded.</summary>
    NotFound,

    /// <summary>No score from 1 to 5 (400): nothing recorded.</summary>
    InvalidScore,
}

/// <summary>How an answer went, and the survey's language for whatever is shown or said back.</summary>
public sealed record SurveyAnswer(SurveyOutcome Outcome, string Language, int? Score = null);

/// <summary>
/// Surveys, from sending to answer. The worker calls <see cref="SendAsync"/> for a resolved ticket: one survey per ticket,
/// recorded as outbound message <c>survey</c> before it is sent, so neither a redelivery nor a second resolve sends it
/// again. Answers come as a signed token (a Telegram button, a Meta quick reply or list row, the link's page) or, on X,
/// as a digit typed back; each is recorded once, its comment redacted, and a score of 1–2 flags the ticket. On the
/// channels whose answer gets no reply of its own, the worker then thanks the customer once (<see cref="ThankAsync"/>).
/// </summary>
public sealed partial class SurveyDesk(
    TicketStore tickets, OutboundLog outbound, SurveyStore surveys, SurveyTokens tokens, ReplyRouter replies, TriageEngine triage, QueueOutbox queue,
    EscalationNotifier escalations, IOptions<SurveyOptions> options, IOptions<IntakeOptions> intake, TimeProvider time, ILogger<SurveyDesk> logger)
{
    public const string OutboundKey = "survey";

    /// <summary>The flag a score of 1 or 2 sets, and the audit action that records it.</summary>
    public const string FollowUpFlag = "survey_follow_up";

    /// <summary>The escalation notice of a low score, and its queue message: once per ticket, as a survey is answered once.</summary>
    public const string FollowUpKey = "survey_follow_up";

    /// <summary>The thank-you after an answer on a channel whose answer gets no reply of its own: its outbound key and kind.</summary>
    public const string ThanksKey = OutboundKinds.SurveyThanks;

    /// <summary>
    /// The channels that thank with a message of their own: Telegram answers the button press with a note, and the link's
    /// page says thank you itself.
    /// </summary>
    internal static readonly IReadOnlySet<string> ThanksChannels = new HashSet<string>(StringComparer.Ordinal) { ChannelNames.Messenger, ChannelNames.Instagram, ChannelNames.WhatsApp, ChannelNames.X };

    /// <summary>
    /// Where the link points: <c>{PublicBaseUrl}/api/surveys?token={token}</c>. The token rides in the query, never the path:
    /// Application Insights stores every request's path and strips its query.
    /// </summary>
    public const string PagePath = "/api/surveys";

    /// <summary>What the thread keeps in place of the link: the token must never be stored.</summary>
    internal const string LinkPlaceholder = "[survey link]";

    /// <summary>Sends the survey of a resolved ticket on its channel, unless it has been sent (or tried and refused) before.</summary>
    public async Task SendAsync(StoredTicket stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ticket = stored.Ticket;
        if (!IsResolved(ticket))
        {
            // Reopened before the worker got here: the next resolve asks.
            LogNotResolved(logger, ticket.Id);
            return;
        }

        if (ticket.Flags.FirstOrDefault(ChannelFlags.NoAcknowledgement.Contains) is { } reason)
        {
            LogNotAsked(logger, ticket.Id, reason);
            return;
        }

        var (channel, sender) = replies.For(ticket);

        // Recorded only while the ticket is still resolved: an agent may reopen it between the worker's read and here, and
        // then the store's retry reads it again and records nothing. The survey's row is opened after, so a survey that
        // does not go out leaves none behind to be reused (with its old send time) by the next resolve.
        var recording = await outbound.RecordAsync(
            stored, OutboundKey, OutboundKinds.Survey, channel, StoredText(ticket, channel), stillWanted: IsResolved, cancellationToken).ConfigureAwait(false);
        if (recording.Status == OutboundRecordingStatus.NotWanted || recording.Record is not { } record)
        {
            LogNotResolved(logger, ticket.Id);
            return;
        }

        // The survey's row follows the delivery: marked as the outbound record is, failed too when the send (or opening the
        // row) threw, so that the redelivery tries again.
        SurveyRecord? survey = null;
        var result = await outbound.SendOnceAsync(
            ticket.Id,
            await outbound.ClaimAsync(ticket.Id, record, recording.Status == OutboundRecordingStatus.Recorded, cancellationToken).ConfigureAwait(false),
            MailThreading.Sent,
            SendAsync,
            (status, token) => survey is null ? Task.CompletedTask : surveys.MarkDeliveryAsync(survey, status, token),
            cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            LogAlreadySent(logger, ticket.Id, record.Status);
            return;
        }

        LogSent(logger, ticket.Id, channel, result.Status);

        async Task<SendResult> SendAsync()
        {
            survey = await surveys.OpenAsync(ticket, channel, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            var message = Compose(ticket, channel, survey.SentAt);
            if (sender is null)
            {
                return SendResult.NotConfigured;
            }

            if (message.Text is null)
            {
                return new SendResult(OutboundStatus.Failed, Error: "Intake:PublicBaseUrl is not configured, so there is no address for the survey link.");
            }

            var parent = await outbound.ParentAsync(ticket, channel, cancellationToken).ConfigureAwait(false);
            return await sender.SendAsync(
                OutboundReply.About(ticket, OutboundKinds.Survey, message.Subject, message.Text, automatic: true, parent) with { Choices = message.Choices },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsResolved(Ticket ticket) => ticket.Status is TicketStatus.Resolved or TicketStatus.Closed;

    /// <summary>What the thread keeps of the survey: its text without tokens (the link's placeholder in place of the link).</summary>
    internal string StoredText(Ticket ticket, string channel) => Compose(ticket, channel, time.GetUtcNow()).StoredText;

    /// <summary>The survey as each channel asks: buttons or a list carrying signed scores, a number to type, or a link.</summary>
    internal SurveyMessage Compose(Ticket ticket, string channel, DateTimeOffset sentAt)
    {
        var t = SurveyTexts.For(ticket.Language);
        var question = t.Question(ticket.Reference);
        switch (channel)
        {
            case ChannelNames.Telegram or ChannelNames.Messenger or ChannelNames.Instagram or ChannelNames.WhatsApp:
                var text = question + "\n" + t.ButtonsHint;
                IReadOnlyList<ReplyChoice> choices =
                [
                    .. Enumerable.Range(1, 5).Select(score => new ReplyChoice(
                        score.ToString(CultureInfo.InvariantCulture),
                        tokens.Create(ticket.Id, sentAt, score),
                        score == 1 ? t.Worst : score == 5 ? t.Best : null)),
                ];
                return new SurveyMessage(t.Subject, text, text, choices);
            case ChannelNames.X:
                var typed = question + "\n" + t.ReplyWithNumber;
                return new SurveyMessage(t.Subject, typed, typed, null);
            default:
                var stored = question + "\n\n" + t.LinkIntro + "\n" + LinkPlaceholder;
                var url = intake.Value.PublicBaseUrl is { Length: > 0 } baseUrl ? Url(baseUrl, tokens.Create(ticket.Id, sentAt)) : null;
                return new SurveyMessage(t.Subject, url is null ? null : question + "\n\n" + t.LinkIntro + "\n" + url, stored, null);
        }
    }

    public static string Url(string baseUrl, string token) => baseUrl.TrimEnd('/') + PathAndQuery(token);

    /// <summary>The page's path with the token in its query: the link's, and the action of the page's form.</summary>
    public static string PathAndQuery(string token) => PagePath + "?token=" + Uri.EscapeDataString(token);

    /// <summary>
    /// What a token says before anything is recorded: the survey it names if valid, open and unanswered; else why not.
    /// The confirm page shows this, and a GET records nothing, so a mail scanner following the link never votes.
    /// </summary>
    public async Task<(SurveyAnswer Check, SurveyToken? Token)> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        if (tokens.Read(token) is not { } read)
        {
            return (new SurveyAnswer(SurveyOutcome.NotFound, "en"), null);
        }

        var survey = await surveys.GetAsync(read.Day, read.TicketId, cancellationToken).ConfigureAwait(false);
        if (survey is null)
        {
            return (new SurveyAnswer(SurveyOutcome.NotFound, "en"), null);
        }

        var outcome = time.GetUtcNow() > read.SentAt + options.Value.Validity
            ? SurveyOutcome.Expired
            : survey.Answered ? SurveyOutcome.AlreadyAnswered : SurveyOutcome.Recorded;
        return (new SurveyAnswer(outcome, survey.Language, survey.Score), read);
    }

    /// <summary>
    /// Records an answer given with a token: the score the token carries (a button) or else <paramref name="score"/> (the
    /// page). Tampered, expired, reused or out of range: nothing recorded, and the outcome says which.
    /// </summary>
    public async Task<SurveyAnswer> AnswerAsync(string? token, int? score, string? comment, CancellationToken cancellationToken)
    {
        var (check, read) = await CheckAsync(token, cancellationToken).ConfigureAwait(false);
        if (check.Outcome != SurveyOutcome.Recorded || read is null)
        {
            LogRefused(logger, read?.TicketId, check.Outcome);
            return check;
        }

        var chosen = read.Score is > 0 ? read.Score : score;
        if (chosen is not (>= 1 and <= 5))
        {
            return check with { Outcome = SurveyOutcome.InvalidScore };
        }

        return await RecordAsync(read.Day, read.TicketId, chosen.Value, comment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the payload of a button or quick reply is one of our survey tokens (then it is an answer, not a message).</summary>
    public bool IsSurveyPayload(string? payload) => tokens.Read(payload) is not null;

    /// <summary>
    /// A message that is only a digit from 1 to 5, from a contact whose latest ticket has a survey sent and still valid:
    /// the answer to it (X has no buttons), or when it has its answer already, ignored as a repeat. Null when it is not
    /// one; the message is then an ordinary message.
    /// </summary>
    public async Task<SurveyAnswer?> TryAnswerTypedAsync(string channel, string contactId, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed is not [>= '1' and <= '5'])
        {
            return null;
        }

        var ticket = await tickets.FindForContactAsync(channel, contactId, cancellationToken).ConfigureAwait(false);
        var survey = ticket is null ? null : await surveys.FindForTicketAsync(ticket.Ticket.Id, cancellationToken).ConfigureAwait(false);
        if (survey is not { Delivery: OutboundStatus.Sent } || time.GetUtcNow() > survey.SentAt + options.Value.Validity)
        {
            return null;
        }

        if (survey.Answered)
        {
            // A second digit, or X delivering the first again: ignored, rather than reopening the ticket with a "4".
            LogRefused(logger, survey.TicketId, SurveyOutcome.AlreadyAnswered);
            return new SurveyAnswer(SurveyOutcome.AlreadyAnswered, survey.Language, survey.Score);
        }

        return await RecordAsync(SurveyStore.DayOf(survey.SentAt), survey.TicketId, trimmed[0] - '0', null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the answer; a recorded one then flags a low score and queues its notice, and queues the thank-you on the
    /// channels that want one. Both messages go in the outbox before the answer is written
    /// (<see cref="QueueOutbox.AroundWriteAsync"/>): the customer's retry finds the answer recorded and causes nothing, so
    /// a kill after the write must not be the end of them. Each handler acts only on a recorded answer that asks for it.
    /// </summary>
    private async Task<SurveyAnswer> RecordAsync(string day, string ticketId, int score, string? comment, CancellationToken cancellationToken)
    {
        // A customer must not be able to store in a comment what they must not store in a message.
        var redacted = string.IsNullOrWhiteSpace(comment) ? null : triage.RedactAndCut(comment.Trim(), options.Value.MaxCommentLength);
        var stored = await tickets.GetAsync(ticketId, cancellationToken).ConfigureAwait(false);
        var planned = stored is null ? [] : Caused(stored.Ticket, score, ThanksChannels.Contains(replies.For(stored.Ticket).Channel));
        return await queue.AroundWriteAsync(
            planned,
            async () =>
            {
                var (status, record) = await surveys.AnswerAsync(day, ticketId, score, redacted, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                var language = record?.Language ?? "en";
                switch (status)
                {
                    case SurveyAnswerStatus.Recorded:
                        LogAnswered(logger, ticketId, score);
                        if (stored is null)
                        {
                            return (new SurveyAnswer(SurveyOutcome.Recorded, language, score), []);
                        }

                        if (score <= 2)
                        {
                            await FlagFollowUpAsync(stored.Ticket, score, cancellationToken).ConfigureAwait(false);
                        }

                        // Only the answer that was recorded gets here: a repeat or a refused one is never thanked.
                        return (new SurveyAnswer(SurveyOutcome.Recorded, language, score), Caused(stored.Ticket, score, record is not null && ThanksChannels.Contains(record.Channel)));
                    case SurveyAnswerStatus.AlreadyAnswered:
                        LogRefused(logger, ticketId, SurveyOutcome.AlreadyAnswered);
                        return (new SurveyAnswer(SurveyOutcome.AlreadyAnswered, language, record?.Score), []);
                    default:
                        return (new SurveyAnswer(SurveyOutcome.NotFound, language), []);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a recorded answer queues: the escalation notice of a score of 1 or 2, the thank-you where the channel wants one.</summary>
    private static IReadOnlyList<TicketQueueMessage> Caused(Ticket ticket, int score, bool thanks) =>
    [
        .. score <= 2 ? [TicketQueueMessage.SurveyFollowUp(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel)] : Array.Empty<TicketQueueMessage>(),
        .. thanks ? [TicketQueueMessage.SurveyAnswered(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel)] : Array.Empty<TicketQueueMessage>(),
    ];

    /// <summary>
    /// A score of 1 or 2: the ticket is flagged <see cref="FollowUpFlag"/>, with an audit entry of that action (by the
    /// customer, detail <c>score:N</c>), in one transaction; a ticket flagged already is left as it is. The caller queues
    /// <see cref="TicketEvent.SurveyFollowUp"/> (<c>{ticketId}:survey_follow_up</c>) for the worker to tell the escalation
    /// channel (<see cref="NotifyFollowUpAsync"/>): the customer's answer does not wait for mail or Telegram, and a failed
    /// notice is retried with the queue's redelivery.
    /// </summary>
    private async Task FlagFollowUpAsync(Ticket ticket, int score, CancellationToken cancellationToken)
    {
        var result = await tickets.ChangeAsync(
            ticket.Id,
            null,
            (current, _) => current.Flags.Contains(FollowUpFlag)
                ? null
                : new TicketChange(
                    current with { Flags = [.. current.Flags, FollowUpFlag] },
                    [new TicketAudit(AuditActions.Customer, AuditActions.SurveyFollowUp, "score:" + score.ToString(CultureInfo.InvariantCulture))]),
            cancellationToken).ConfigureAwait(false);
        LogFollowUp(logger, ticket.Id, score, result.Status);
    }

    /// <summary>
    /// Tells the escalation channel (<c>Sla:Escalation</c>) that the customer scored the ticket 1 or 2: the ticket's facts
    /// and the score, never what the customer wrote (the comment is on the survey, for an agent to read). Once per
    /// ticket; a ticket whose survey has no low score (a forged or stale message) sends nothing.
    /// </summary>
    public async Task NotifyFollowUpAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var survey = await surveys.FindForTicketAsync(ticket.Id, cancellationToken).ConfigureAwait(false);
        if (survey is not { Score: <= 2 and var score })
        {
            return;
        }

        // Flagged when the answer was recorded, unless that process died first: the flag is the agents' sign, so make sure.
        if (!ticket.Flags.Contains(FollowUpFlag))
        {
            await FlagFollowUpAsync(ticket, score, cancellationToken).ConfigureAwait(false);
        }

        var (subject, text) = ComposeFollowUp(ticket, survey, score);
        await escalations.NotifyAsync(ticket, FollowUpKey, subject, text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Thanks the customer for their answer, on Messenger, Instagram, WhatsApp and X: one short message in the survey's
    /// language, recorded as outbound <see cref="ThanksKey"/> before it is sent, so a redelivered queue message never sends
    /// it twice. The answer is the customer's latest message, so it opens the platforms' 24-hour window again; WhatsApp's
    /// thank-you goes only inside that window (never as a template), and is recorded <c>window_closed</c> otherwise.
    /// </summary>
    public async Task ThankAsync(StoredTicket stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ticket = stored.Ticket;
        var survey = await surveys.FindForTicketAsync(ticket.Id, cancellationToken).ConfigureAwait(false);
        if (survey is not { Answered: true, AnsweredAt: { } answeredAt } || !ThanksChannels.Contains(survey.Channel))
        {
            return;
        }

        var (channel, sender) = replies.For(ticket);
        var texts = SurveyTexts.For(survey.Language);
        var (record, created) = await outbound.RecordAsync(stored, ThanksKey, ThanksKey, channel, texts.ThanksMessage, cancellationToken).ConfigureAwait(false);

        // Thanked only on chat channels (ThanksChannels): there is no mail to thread.
        var result = await outbound.SendOnceAsync(
            ticket.Id,
            await outbound.ClaimAsync(ticket.Id, record, created, cancellationToken).ConfigureAwait(false),
            MailThreading.None,
            () => sender is null
                ? Task.FromResult(SendResult.NotConfigured)
                : channel == ChannelNames.WhatsApp && MessagingWindows.IsClosed(answeredAt, time.GetUtcNow())
                    ? Task.FromResult(new SendResult(OutboundStatus.WindowClosed))
                    : sender.SendAsync(
                        OutboundReply.About(ticket, OutboundKinds.SurveyThanks, texts.Subject, texts.ThanksMessage, automatic: true)
                            with { Language = survey.Language, CustomerWroteAt = answeredAt },
                        cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            LogThanksAlreadySent(logger, ticket.Id, record.Status);
            return;
        }

        LogThanked(logger, ticket.Id, channel, result.Status);
    }

    internal static (string Subject, string Text) ComposeFollowUp(Ticket ticket, SurveyRecord survey, int score)
    {
        var answered = survey.AnsweredAt is { } at ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown";
        var subject = $"[{ticket.Reference}] Satisfaction survey scored {score.ToString(CultureInfo.InvariantCulture)} of 5: follow up";
        var text = string.Join('\n',
            $"Ticket {ticket.Reference} ({ticket.Id})",
            $"Survey score: {score.ToString(CultureInfo.InvariantCulture)} of 5, answered {answered}",
            $"Comment left: {(survey.Comment is { Length: > 0 } ? "yes" : "no")}",
            $"Category: {ticket.Category.ToName()}",
            $"Channel: {ticket.Channel}",
            $"Status: {ticket.Status.ToName()}",
            "The ticket is flagged survey_follow_up.");
        return (subject, text);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} is no longer resolved; no survey")]
    private static partial void LogNotResolved(ILogger logger, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket {TicketId} is flagged {Reason}; no survey")]
    private static partial void LogNotAsked(ILogger logger, string ticketId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogAlreadySent(ILogger logger, string ticketId, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogSent(ILogger logger, string ticketId, string channel, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey thank-you of ticket {TicketId} already {Status}; not sent again")]
    private static partial void LogThanksAlreadySent(ILogger logger, string ticketId, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey thank-you of ticket {TicketId} on {Channel}: {Status}")]
    private static partial void LogThanked(ILogger logger, string ticketId, string channel, OutboundStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of ticket {TicketId} answered with {Score}")]
    private static partial void LogAnswered(ILogger logger, string ticketId, int score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey answer for ticket {TicketId} not recorded: {Outcome}")]
    private static partial void LogRefused(ILogger logger, string? ticketId, SurveyOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of ticket {TicketId} scored {Score}: flagged for follow-up ({Status})")]
    private static partial void LogFollowUp(ILogger logger, string ticketId, int score, ChangeStatus status);
}

/// <summary>A survey as composed for one channel: what is sent (null when it cannot be: no public address for the link), what the thread keeps, and the choices.</summary>
internal sealed record SurveyMessage(string Subject, string? Text, string StoredText, IReadOnlyList<ReplyChoice>? Choices);
