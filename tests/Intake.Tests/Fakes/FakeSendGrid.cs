using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Intake.Tests.Fakes;

/// <summary>
/// SendGrid's v3 API as far as Intake uses it, in process on 127.0.0.1 and a free port. It records every request and
/// answers <c>POST /v3/mail/send</c> with 202 and a fresh <c>X-Message-Id</c>, or with what <see cref="RespondNextWith"/>
/// asked for; any other path gets 404. Point <c>SendGrid:BaseUrl</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeSendGrid : RecordingFake<SendGridRequest>
{
    public const string MailSendPath = "/v3/mail/send";

    private readonly ConcurrentQueue<PlannedResponse> planned = new();

    /// <summary>The requests to mail/send, oldest first.</summary>
    public IReadOnlyList<SendGridRequest> Mails => [.. Requests.Where(request => request.Path == MailSendPath)];

    /// <summary>
    /// The next request (of any path) gets <paramref name="status"/>: 2xx with a message id, otherwise SendGrid's error
    /// JSON or <paramref name="body"/>, after <paramref name="delay"/>. Calls queue up, one per request.
    /// </summary>
    public void RespondNextWith(int status, string? body = null, TimeSpan delay = default) =>
        planned.Enqueue(new PlannedResponse(status, body, delay));

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var plan = planned.TryDequeue(out var next) ? next : null;
        var isMailSend = HttpMethods.IsPost(request.Method) && request.Path == MailSendPath;
        var status = plan?.Status ?? (isMailSend ? StatusCodes.Status202Accepted : StatusCodes.Status404NotFound);
        var messageId = isMailSend && status is >= 200 and < 300 ? NewMessageId() : null;

        Record(new SendGridRequest(
                request.Method,
                request.Path.Value ?? "",
                request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body,
                messageId));

        if (plan is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        context.Response.StatusCode = status;
        if (messageId is not null)
        {
            context.Response.Headers["X-Message-Id"] = messageId;
            return;
        }

        if (status >= 400)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(plan?.Body ?? ErrorJson(status), context.RequestAborted);
        }
    }

    /// <summary>Like SendGrid's: 22 URL-safe Base64 characters.</summary>
    private static string NewMessageId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string ErrorJson(int status) =>
        JsonSerializer.Serialize(new { errors = new[] { new { message = $"fake SendGrid answered {status}", field = (string?)null, help = (string?)null } } });

    private sealed record PlannedResponse(int Status, string? Body, TimeSpan Delay);
}

/// <summary>
/// One request the fake received. <see cref="MessageId"/> is the <c>X-Message-Id</c> it answered with, if it accepted a
/// mail. The accessors read the mail/send JSON as Intake builds it: one personalization, one recipient.
/// </summary>
public sealed record SendGridRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, string? MessageId)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? FromEmail => Json.GetProperty("from").GetProperty("email").GetString();

    public string? FromName => Json.GetProperty("from").TryGetProperty("name", out var name) ? name.GetString() : null;

    public string? ToEmail => Personalization.GetProperty("to")[0].GetProperty("email").GetString();

    public string? Subject => Personalization.TryGetProperty("subject", out var subject) ? subject.GetString() : Json.GetProperty("subject").GetString();

    /// <summary>The <c>text/plain</c> content, or null when there is none.</summary>
    public string? Text => Json.TryGetProperty("content", out var content)
        ? content.EnumerateArray().Where(part => part.GetProperty("type").GetString() == "text/plain").Select(part => part.GetProperty("value").GetString()).FirstOrDefault()
        : null;

    /// <summary>A mail header, from the personalization or the message (SendGrid merges both).</summary>
    public string? MailHeader(string name) => Value(Personalization, "headers", name) ?? Value(Json, "headers", name);

    /// <summary>A custom arg, from the personalization or the message (SendGrid merges both).</summary>
    public string? CustomArg(string name) => Value(Personalization, "custom_args", name) ?? Value(Json, "custom_args", name);

    private JsonElement Personalization => Json.GetProperty("personalizations")[0];

    private static string? Value(JsonElement owner, string property, string name)
    {
        if (!owner.TryGetProperty(property, out var map))
        {
            return null;
        }

        // Header names are case-insensitive.
        foreach (var entry in map.EnumerateObject())
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value.GetString();
            }
        }

        return null;
    }
}
