using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Intake.Tests.Fakes;

/// <summary>
/// The Telegram Bot API as far as Intake uses it, in process on 127.0.0.1 and a free port. It records every
/// <c>POST /bot{token}/{method}</c> and answers <c>sendMessage</c> and <c>editMessageReplyMarkup</c> with a message in the chat it was sent to,
/// <c>answerCallbackQuery</c> and <c>setWebhook</c> with <c>true</c>, or with the error <see cref="RespondNextWith"/>
/// asked for; any other method or path gets Telegram's 404. Point <c>Telegram:BaseUrl</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeTelegram : RecordingFake<TelegramRequest>
{
    public const string BotToken = "123456:test-token";

    private readonly ConcurrentQueue<(int ErrorCode, string Description, int? RetryAfter)> planned = new();
    private int nextMessageId = 1000;

    /// <summary>The calls of one method (<c>sendMessage</c>, ...), oldest first, answered or not.</summary>
    public IReadOnlyList<TelegramRequest> Calls(string method) => [.. Requests.Where(request => request.Method == method)];

    /// <summary>The next call (of any method) fails as Telegram fails: 429 with <c>retry_after</c>, 403 when the bot was blocked, ...</summary>
    public void RespondNextWith(int errorCode, string? description = null, int? retryAfter = null) =>
        planned.Enqueue((errorCode, description ?? DefaultDescription(errorCode), retryAfter ?? (errorCode == 429 ? 1 : null)));

    /// <summary>The settings that point Intake's Telegram channel here.</summary>
    public Dictionary<string, string> Settings(string secretToken) => new()
    {
        ["Telegram:BaseUrl"] = BaseUrl.ToString(),
        ["Telegram:BotToken"] = BotToken,
        ["Telegram:SecretToken"] = secretToken,
    };

    protected override async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        // /bot{token}/{method}
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isBotCall = HttpMethods.IsPost(context.Request.Method) && segments is [var bot, _] && bot.StartsWith("bot", StringComparison.Ordinal);
        var token = isBotCall ? segments[0]["bot".Length..] : null;
        var method = isBotCall ? segments[1] : null;
        var plan = planned.TryDequeue(out var next) ? next : ((int, string, int?)?)null;

        (int Status, string Json) answer = plan is var (errorCode, description, retryAfter)
            ? (errorCode, Error(errorCode, description, retryAfter))
            : method switch
            {
                "sendMessage" or "editMessageReplyMarkup" => (200, SentMessage(body)),
                "answerCallbackQuery" or "setWebhook" => (200, """{"ok":true,"result":true}"""),
                _ => (404, Error(404, "Not Found", null)),
            };

        Record(new TelegramRequest(method ?? context.Request.Path.Value ?? "", token, body, answer.Status));

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Json, context.RequestAborted);
    }

    private string SentMessage(string requestBody)
    {
        var chatId = JsonNode.Parse(requestBody)?["chat_id"]?.ToJsonString() ?? "0";
        var result = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref nextMessageId),
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = JsonNode.Parse(chatId.Trim('"')), ["type"] = "private" },
        };
        return new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString();
    }

    private static string Error(int errorCode, string description, int? retryAfter)
    {
        var error = new JsonObject { ["ok"] = false, ["error_code"] = errorCode, ["description"] = description };
        if (retryAfter is { } seconds)
        {
            error["parameters"] = new JsonObject { ["retry_after"] = seconds };
        }

        return error.ToJsonString();
    }

    private static string DefaultDescription(int errorCode) => errorCode switch
    {
        429 => "Too Many Requests: retry after 1",
        403 => "Forbidden: bot was blocked by the user",
        400 => "Bad Request: chat not found",
        _ => "Internal Server Error",
    };
}

/// <summary>One call the fake received: the Bot API method, the token in the path, the JSON body and the status it answered.</summary>
public sealed record TelegramRequest(string Method, string? Token, string Body, int Status)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? ChatId => Json.TryGetProperty("chat_id", out var chat) ? chat.ToString() : null;

    public string? Text => Json.TryGetProperty("text", out var text) ? text.GetString() : null;
}
