using System.Collections.Concurrent;
using Intake.Messaging;
using Intake.Storage;
using Intake.Surveys;
using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Channels.X;

/// <summary>
/// Carries out what <see cref="XEvents.Decide"/> chose for a signed delivery. Each event stands on its own: a malformed
/// one is logged and skipped, and when storing one fails the others are still stored. The answer says how many could
/// not be stored; the endpoint then answers 500 so that X delivers the batch again, and the event ids make that safe.
/// Messages of one sender are stored in order (the first opens the ticket, the rest join it); senders go side by side.
/// </summary>
public sealed partial class XWebhook(TicketIntake intake, SurveyDesk surveys, ILogger<XWebhook> logger)
{
    private const int SendersAtOnce = 4;

    /// <summary>How many messages could not be stored.</summary>
    public async Task<(int Failed, int Unavailable)> HandleAsync(IReadOnlyList<XDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case XDecision.Ignore(var index, var eventId, var reason):
                    LogIgnored(logger, index, eventId, reason);
                    break;
                case XDecision.Malformed(var index, var eventId, var reason):
                    LogMalformed(logger, index, eventId, reason);
                    break;
            }
        }

        var bySender = decisions.OfType<XDecision.Accept>().Select(accept => accept.Message).GroupBy(message => message.Contact.Id, StringComparer.Ordinal);
        var failed = new ConcurrentBag<string>();
        var unavailable = 0;
        await Parallel.ForEachAsync(
            bySender,
            new ParallelOptions { MaxDegreeOfParallelism = SendersAtOnce, CancellationToken = cancellationToken },
            async (messages, token) =>
            {
                foreach (var message in messages)
                {
                    try
                    {
                        // X has no buttons: a lone digit answers the sender's open survey, if there is one.
                        if (await surveys.TryAnswerTypedAsync(message.Channel, message.Contact.Id, message.Text, token).ConfigureAwait(false) is { } answer)
                        {
                            LogSurveyAnswer(logger, message.ProviderMessageId!, answer.Outcome);
                            continue;
                        }

                        var result = await intake.AcceptAsync(message, token).ConfigureAwait(false);
                        if (result.Blocked)
                        {
                            LogBlocked(logger, message.ProviderMessageId!);
                        }
                        else
                        {
                            LogAccepted(logger, message.ProviderMessageId!, result.Ticket.Id, result.Created, result.Duplicate);
                        }
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested)
                    {
                        // Storage is down or busy: the rest of the batch still gets its chance, and X redelivers this one.
                        LogNotStored(logger, message.ProviderMessageId!, ex);
                        failed.Add(message.ProviderMessageId!);
                        if (StorageOutage.Is(ex))
                        {
                            Interlocked.Increment(ref unavailable);
                        }
                    }
                }
            }).ConfigureAwait(false);
        return (failed.Count, unavailable);
    }

    /// <summary>A delivery that carries no direct message (likes, follows, tweets, typing, read receipts): nothing is stored.</summary>
    public void LogWithoutDirectMessages(string kinds) => LogNoDirectMessages(logger, kinds);

    // Information, like every ignore: a delivery that makes no ticket says why.
    [LoggerMessage(Level = LogLevel.Information, Message = "X delivery without direct messages ignored ({Kinds})")]
    private static partial void LogNoDirectMessages(ILogger logger, string kinds);

    [LoggerMessage(Level = LogLevel.Information, Message = "X event {EventId}: survey answer ({Outcome})")]
    private static partial void LogSurveyAnswer(ILogger logger, string eventId, SurveyOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "X event {EventId} stored on ticket {TicketId} (new ticket {Created}, duplicate {Duplicate})")]
    private static partial void LogAccepted(ILogger logger, string eventId, string ticketId, bool created, bool duplicate);

    [LoggerMessage(Level = LogLevel.Information, Message = "X event {EventId} from a blocked contact: recorded, not answered")]
    private static partial void LogBlocked(ILogger logger, string eventId);

    // Information, not Debug: a dropped event may be a customer's, so the reason must be visible.
    [LoggerMessage(Level = LogLevel.Information, Message = "X event {Index} ({EventId}) ignored ({Reason})")]
    private static partial void LogIgnored(ILogger logger, int index, string? eventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X event {Index} ({EventId}) skipped as malformed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, int index, string? eventId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "X event {EventId} could not be stored; the delivery will be answered 500 so that X sends it again")]
    private static partial void LogNotStored(ILogger logger, string eventId, Exception exception);
}
