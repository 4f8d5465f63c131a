using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// The Telegram Bot API's <c>POST /bot{token}/sendMessage</c> as far as the fault run needs it: with the bot's token it
/// answers as Telegram does (<c>{"ok":true,"result":</c> the message, in the chat it was sent to<c>}</c>, which the
/// Telegram.Bot client reads) and counts the message for its <c>chat_id</c>; with another token 401, any other method
/// 404. During an outage it answers Telegram's flood control, 429 with <c>parameters.retry_after</c> (the seconds left).
/// </summary>
internal sealed class ReceivingTelegram : ReceivingProvider
{
    private int _nextMessageId = 1000;

    private ReceivingTelegram(string botToken) => BotToken = botToken;

    /// <summary>The token the server is given (<c>Telegram:BotToken</c>): digits, a colon, text, as @BotFather makes them.</summary>
    public string BotToken { get; }

    public static Task<ReceivingTelegram> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(new ReceivingTelegram("7000001:chaos-" + Guid.NewGuid().ToString("N")), cancellationToken);

    protected override async Task HandleAsync(HttpContext context)
    {
        // /bot{token}/{method}
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsPost(context.Request.Method) || segments is not [var bot, var method] || !bot.StartsWith("bot", StringComparison.Ordinal))
        {
            await AnswerAsync(context, 404, Error(404, "Not Found")).ConfigureAwait(false);
            return;
        }

        if (bot["bot".Length..] != BotToken)
        {
            await AnswerAsync(context, 401, Error(401, "Unauthorized")).ConfigureAwait(false);
            return;
        }

        if (method != "sendMessage")
        {
            await AnswerAsync(context, 404, Error(404, "Not Found: method not found")).ConfigureAwait(false);
            return;
        }

        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (Unavailable(out var left))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
            await AnswerAsync(context, 429, Error(429, $"Too Many Requests: retry after {seconds}", seconds)).ConfigureAwait(false);
            return;
        }

        // chat_id is a number, or a string of one.
        var chat = request?["chat_id"] is JsonValue id && (id.TryGetValue<long>(out var number)
            || (id.TryGetValue<string>(out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)))
            ? number
            : (long?)null;
        if (chat is not { } chatId || request?["text"]?.GetValue<string>() is not { Length: > 0 } sent)
        {
            await AnswerAsync(context, 400, Error(400, "Bad Request: chat_id or text is empty")).ConfigureAwait(false);
            return;
        }

        Accepted(chatId.ToString(CultureInfo.InvariantCulture));
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref _nextMessageId),
            ["from"] = new JsonObject { ["id"] = 7000001, ["is_bot"] = true, ["first_name"] = "Support", ["username"] = "chaos_support_bot" },
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "private" },
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = sent,
        };
        await AnswerAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = message }).ConfigureAwait(false);
    }

    private static JsonObject Error(int code, string description, int? retryAfter = null)
    {
        var error = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            error["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        return error;
    }
}
