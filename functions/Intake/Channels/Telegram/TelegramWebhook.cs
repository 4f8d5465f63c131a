using Intake.Messaging;
using Intake.Surveys;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Intake.Channels.Telegram;

/// <summary>
/// Carries out what <see cref="TelegramUpdates.Decide"/> chose for an update that passed the endpoint's checks. A
/// message is stored and queued before this returns (the endpoint then answers 200); a storage failure propagates so
/// that Telegram retries, and the update id makes the retry safe. The greeting and callback answers are courtesies:
/// their failure is logged and the update still counts as handled, or Telegram would redeliver it for ever.
/// </summary>
public sealed partial class TelegramWebhook(
    TicketIntake intake,
    SurveyDesk surveys,
    ContactBlocks blocks,
    TelegramBots bots,
    IOptionsMonitor<TelegramOptions> options,
    ILogger<TelegramWebhook> logger)
{
    public async Task HandleAsync(Update update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        switch (TelegramUpdates.Decide(update, options.CurrentValue.AllowGroups))
        {
            case TelegramDecision.Accept(var message):
                var result = await intake.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
                if (result.Blocked)
                {
                    LogBlocked(logger, update.Id);
                }
                else
                {
                    LogAccepted(logger, update.Id, result.Ticket.Id, result.Created, result.Duplicate);
                }

                break;

            case TelegramDecision.Greet greet when await blocks.IsBlockedAsync(
                ChannelNames.Telegram, greet.ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false):
                // A blocked chat gets nothing from us, the greeting included.
                LogBlocked(logger, update.Id);
                break;

            case TelegramDecision.Greet greet:
                await CourtesyAsync(update.Id, "greeting", bot => bot.SendMessage(
                    greet.ChatId,
                    TelegramGreeting.Text(greet.Language),
                    replyParameters: new ReplyParameters { MessageId = greet.MessageId, AllowSendingWithoutReply = true },
                    cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                break;

            case TelegramDecision.AnswerCallback { Data: { } data } answer when surveys.IsSurveyPayload(data):
                await AnswerSurveyAsync(update.Id, answer, data, cancellationToken).ConfigureAwait(false);
                break;

            case TelegramDecision.AnswerCallback answer:
                await CourtesyAsync(update.Id, "callback answer", bot => bot.AnswerCallbackQuery(answer.CallbackQueryId, cancellationToken: cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                break;

            case TelegramDecision.Ignore(var reason):
                LogIgnored(logger, update.Id, reason);
                break;
        }
    }

    /// <summary>
    /// A survey button: record the score (once; a second press changes nothing), answer the press with a short note, then
    /// take the buttons off the message so that it reads as answered. Storage failures propagate (Telegram retries, and
    /// the retry finds the answer recorded); the two Bot API calls are courtesies.
    /// </summary>
    private async Task AnswerSurveyAsync(int updateId, TelegramDecision.AnswerCallback answer, string data, CancellationToken cancellationToken)
    {
        var result = await surveys.AnswerAsync(data, null, null, cancellationToken).ConfigureAwait(false);
        var texts = SurveyTexts.For(result.Language);
        var note = result.Outcome switch
        {
            SurveyOutcome.Recorded => texts.ThanksText,
            SurveyOutcome.AlreadyAnswered => texts.UsedText,
            SurveyOutcome.Expired => texts.ExpiredTitle,
            _ => texts.NotFoundTitle,
        };
        LogSurveyPress(logger, updateId, result.Outcome);
        await CourtesyAsync(updateId, "callback answer", bot => bot.AnswerCallbackQuery(answer.CallbackQueryId, note, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (answer is { ChatId: { } chatId, MessageId: { } messageId })
        {
            await CourtesyAsync(updateId, "button removal", bot => bot.EditMessageReplyMarkup(chatId, messageId, null, cancellationToken: cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task CourtesyAsync(int updateId, string what, Func<ITelegramBotClient, Task> call, CancellationToken cancellationToken)
    {
        if (bots.Create() is not { } bot)
        {
            return;
        }

        try
        {
            await call(bot).ConfigureAwait(false);
            LogCourtesySent(logger, updateId, what);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCourtesyFailed(logger, updateId, what, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} stored on ticket {TicketId} (new ticket {Created}, duplicate {Duplicate})")]
    private static partial void LogAccepted(ILogger logger, int updateId, string ticketId, bool created, bool duplicate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} from a blocked contact: recorded, not answered")]
    private static partial void LogBlocked(ILogger logger, int updateId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId}: survey button pressed ({Outcome})")]
    private static partial void LogSurveyPress(ILogger logger, int updateId, SurveyOutcome outcome);

    // Information, not Debug: an update we drop is a customer we may not answer, so the reason must be visible.
    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} ignored ({Reason})")]
    private static partial void LogIgnored(ILogger logger, int updateId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId}: {What} sent")]
    private static partial void LogCourtesySent(ILogger logger, int updateId, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram update {UpdateId}: {What} could not be sent; the update is still handled")]
    private static partial void LogCourtesyFailed(ILogger logger, int updateId, string what, Exception exception);
}
