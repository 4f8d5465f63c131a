using Intake.Messaging;
using Intake.Storage;
using Intake.Surveys;
using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Channels.Meta;

/// <summary>
/// How a delivery's events fared: stored (new or duplicate), ignored, malformed, or failed to store — of which
/// <see cref="Unavailable"/> because storage or the queue was out of reach (<see cref="StorageOutage"/>).
/// </summary>
public sealed record MetaOutcome(int Accepted, int Ignored, int Malformed, int Failed, int Unavailable = 0);

/// <summary>
/// Carries out the decisions of a signed delivery, event by event and in order (a sender's second message must find
/// the ticket their first one opened). A malformed event is logged and skipped. When storing one fails, the others
/// are still handled and the outcome counts the failure, so the endpoint can ask Meta to deliver the batch again;
/// the redelivery finds what was stored by its message id and adds nothing twice.
/// </summary>
public sealed partial class MetaWebhook(TicketIntake intake, SurveyDesk surveys, ILogger<MetaWebhook> logger)
{
    public async Task<MetaOutcome> HandleAsync(MetaDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        int accepted = 0, ignored = 0, malformed = 0, failed = 0, unavailable = 0;
        foreach (var decision in delivery.Decisions)
        {
            switch (decision)
            {
                case MetaDecision.Accept(var where, var message):
                    try
                    {
                        if (SurveyPayload(message) is { } payload)
                        {
                            // A survey quick reply or list row: an answer (recorded once), not a message that would reopen the ticket.
                            var answer = await surveys.AnswerAsync(payload, null, null, cancellationToken).ConfigureAwait(false);
                            LogSurveyAnswer(logger, message.Channel, where, answer.Outcome);
                            accepted++;
                            break;
                        }

                        var result = await intake.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
                        if (result.Blocked)
                        {
                            LogBlocked(logger, message.Channel, where, message.ProviderMessageId);
                        }
                        else
                        {
                            LogAccepted(logger, message.Channel, where, message.ProviderMessageId, result.Ticket.Id, result.Created, result.Duplicate, message.Details?.EditOf is not null);
                        }

                        accepted++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        LogFailed(logger, message.Channel, where, message.ProviderMessageId, ex);
                        failed++;
                        unavailable += StorageOutage.Is(ex) ? 1 : 0;
                    }

                    break;

                case MetaDecision.Ignore(var where, var reason):
                    LogIgnored(logger, delivery.Kind, where, reason);
                    ignored++;
                    break;

                case MetaDecision.Malformed(var where, var reason):
                    LogMalformed(logger, delivery.Kind, where, reason);
                    malformed++;
                    break;
            }
        }

        return new MetaOutcome(accepted, ignored, malformed, failed, unavailable);
    }

    /// <summary>The payload of a quick reply (Messenger, Instagram) or list row (WhatsApp) when it is one of our survey tokens.</summary>
    private string? SurveyPayload(InboundMessage message)
    {
        var metadata = message.Details?.Metadata;
        var payload = metadata?.GetValueOrDefault("quickReply") ?? metadata?.GetValueOrDefault("interactiveReply");
        return surveys.IsSurveyPayload(payload) ? payload : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Meta {Channel} {Event}: survey answer ({Outcome})")]
    private static partial void LogSurveyAnswer(ILogger logger, string channel, string @event, SurveyOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meta {Channel} {Event} (message {ProviderMessageId}) stored on ticket {TicketId} (new ticket {Created}, duplicate {Duplicate}, edit {Edit})")]
    private static partial void LogAccepted(ILogger logger, string channel, string @event, string? providerMessageId, string ticketId, bool created, bool duplicate, bool edit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meta {Channel} {Event} (message {ProviderMessageId}) from a blocked contact: recorded, not answered")]
    private static partial void LogBlocked(ILogger logger, string channel, string @event, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meta {Channel} {Event} (message {ProviderMessageId}) could not be stored; the delivery will be answered 5xx for Meta to retry")]
    private static partial void LogFailed(ILogger logger, string channel, string @event, string? providerMessageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meta {Object} {Event} ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string @object, string @event, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta {Object} {Event} skipped as malformed: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string @object, string @event, string reason);
}
