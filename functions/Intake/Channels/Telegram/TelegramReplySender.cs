using System.Globalization;
using System.Net;
using System.Text;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Intake.Channels.Telegram;

/// <summary>
/// Sends replies with the Bot API's <c>sendMessage</c> to the ticket's chat, as HTML with the text escaped, replying
/// to the customer's message when the ticket knows it.
/// <list type="bullet">
/// <item>No bot token: <see cref="SendResult.NotConfigured"/>, no HTTP call.</item>
/// <item>No chat id or no text: <see cref="OutboundStatus.Failed"/>, no HTTP call.</item>
/// <item>A refusal (4xx but 429: the bot was blocked, the chat is gone): <see cref="OutboundStatus.Failed"/> with the
/// error code only; Telegram's description may quote what we sent, so it is never kept.</item>
/// <item>429, 5xx, network faults and timeouts throw, so that the queue retries.</item>
/// </list>
/// </summary>
internal sealed partial class TelegramReplySender(TelegramBots bots, ILogger<TelegramReplySender> logger) : IReplySender
{
    public string Channel => TelegramUpdates.Channel;

    public async Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (bots.Create() is not { } bot)
        {
            LogNotConfigured(logger, reply.Kind, reply.TicketId);
            return SendResult.NotConfigured;
        }

        if (!long.TryParse(reply.Contact.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId) || string.IsNullOrWhiteSpace(reply.Text))
        {
            LogNotSendable(logger, reply.Kind, reply.TicketId);
            return new(OutboundStatus.Failed, Error: "The ticket has no Telegram chat or the reply no text.");
        }

        try
        {
            var sent = await bot.SendMessage(
                chatId, EscapeHtml(reply.Text), ParseMode.Html, ReplyTo(reply.InReplyTo), Keyboard(reply.Choices), cancellationToken: cancellationToken).ConfigureAwait(false);
            var providerId = sent.Id.ToString(CultureInfo.InvariantCulture);
            LogSent(logger, reply.Kind, reply.TicketId, providerId);
            return new(OutboundStatus.Sent, ProviderMessageId: providerId);
        }
        catch (ApiRequestException ex) when (IsRefusal(ex.ErrorCode))
        {
            LogRefused(logger, reply.Kind, reply.TicketId, ex.ErrorCode);
            return new(OutboundStatus.Failed, Error: $"Telegram refused the message: {ex.ErrorCode}.");
        }
        catch (ApiRequestException ex)
        {
            LogUnavailable(logger, reply.Kind, reply.TicketId, ex.ErrorCode);
            throw;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; callers should not mistake it for shutdown.
            throw new TimeoutException($"Telegram did not answer within {TelegramBots.Timeout.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary>A refusal will not change on a retry; throttling and server errors may.</summary>
    internal static bool IsRefusal(int errorCode) => errorCode is >= 400 and < 500 && errorCode != (int)HttpStatusCode.TooManyRequests;

    /// <summary>Reply to the customer's message when the id is one; send anyway if that message is gone.</summary>
    internal static ReplyParameters? ReplyTo(string? inReplyTo) =>
        int.TryParse(inReplyTo, NumberStyles.None, CultureInfo.InvariantCulture, out var messageId) && messageId > 0
            ? new ReplyParameters { MessageId = messageId, AllowSendingWithoutReply = true }
            : null;

    /// <summary>A survey's choices as one row of inline buttons, each sending its signed payload as <c>callback_data</c>.</summary>
    internal static InlineKeyboardMarkup? Keyboard(IReadOnlyList<ReplyChoice>? choices) =>
        choices is { Count: > 0 } ? new InlineKeyboardMarkup(choices.Select(c => InlineKeyboardButton.WithCallbackData(c.Title, c.Payload))) : null;

    /// <summary>The three characters Telegram's HTML parse mode requires as entities; everything else goes as it is.</summary>
    internal static string EscapeHtml(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram {Kind} for ticket {TicketId} not sent: the bot is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram {Kind} for ticket {TicketId} not sent: no chat id or no text")]
    private static partial void LogNotSendable(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram {Kind} for ticket {TicketId} sent (message {ProviderMessageId})")]
    private static partial void LogSent(ILogger logger, string kind, string ticketId, string providerMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram {Kind} for ticket {TicketId} refused ({ErrorCode})")]
    private static partial void LogRefused(ILogger logger, string kind, string ticketId, int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram {Kind} for ticket {TicketId}: Telegram answered {ErrorCode}; leaving it for a retry")]
    private static partial void LogUnavailable(ILogger logger, string kind, string ticketId, int errorCode);
}
