using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Intake.Tests.Fakes;

/// <summary>
/// The Graph API as far as Intake uses it, in process on 127.0.0.1 and a free port. It records every request (method,
/// path, whether it carried a bearer token and which, JSON body) and answers <c>POST /{version}/me/messages</c> (Send
/// API) with <c>{"recipient_id","message_id"}</c> and <c>POST /{version}/{phone number id}/messages</c> (Cloud API)
/// with <c>{"messaging_product","contacts","messages":[{"id"}]}</c>, or with what <see cref="RespondNextWith"/> asked
/// for. Point <c>Meta:BaseUrl</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeGraph : RecordingFake<GraphRequest>
{
    public const string PageAccessToken = "EAAG-page-token-test";
    public const string WhatsAppToken = "EAAG-whatsapp-token-test";
    public const string PhoneNumberId = "106540352242922";

    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> planned = new();
    private int nextId = 1000;

    /// <summary>Send API calls (Messenger and Instagram).</summary>
    public IReadOnlyList<GraphRequest> SendApiCalls => [.. Requests.Where(r => r.Path.EndsWith("/me/messages", StringComparison.Ordinal))];

    /// <summary>Cloud API calls (WhatsApp).</summary>
    public IReadOnlyList<GraphRequest> CloudApiCalls => [.. Requests.Where(r => r.Path.EndsWith($"/{PhoneNumberId}/messages", StringComparison.Ordinal))];

    /// <summary>The next <paramref name="times"/> calls fail with <paramref name="status"/> (429 carries <c>Retry-After</c>, 0 unless told).</summary>
    public void RespondNextWith(int status, int times = 1, string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            planned.Enqueue((status, retryAfter ?? (status == 429 ? "0" : null)));
        }
    }

    /// <summary>The settings that turn the three channels on and point them here.</summary>
    public Dictionary<string, string> Settings(string appSecret, string verifyToken, string? templateName = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Meta:BaseUrl"] = BaseUrl.ToString(),
            ["Meta:AppSecret"] = appSecret,
            ["Meta:VerifyToken"] = verifyToken,
            ["Meta:PageAccessToken"] = PageAccessToken,
            ["WhatsApp:AccessToken"] = WhatsAppToken,
            ["WhatsApp:PhoneNumberId"] = PhoneNumberId,
        };
        if (templateName is not null)
        {
            settings["WhatsApp:TemplateName"] = templateName;
        }

        return settings;
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var path = context.Request.Path.Value ?? "";
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        var isSend = HttpMethods.IsPost(context.Request.Method) && path.EndsWith("/messages", StringComparison.Ordinal);
        var plan = planned.TryDequeue(out var next) ? next : ((int, string?)?)null;

        (int Status, string Json) answer = plan is var (status, retryAfter)
            ? (status, Error(status))
            : !isSend
                ? (404, Error(404))
                : path.EndsWith("/me/messages", StringComparison.Ordinal)
                    ? (200, SendApiAnswer(body))
                    : (200, CloudApiAnswer(body));

        Record(new GraphRequest(context.Request.Method, path, token, context.Request.QueryString.Value ?? "", body, answer.Status));

        if (plan is (_, { } after))
        {
            context.Response.Headers.RetryAfter = after;
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Json, context.RequestAborted);
    }

    private string SendApiAnswer(string requestBody) => new JsonObject
    {
        ["recipient_id"] = JsonNode.Parse(requestBody)?["recipient"]?["id"]?.GetValue<string>(),
        ["message_id"] = $"m_{Interlocked.Increment(ref nextId)}",
    }.ToJsonString();

    private string CloudApiAnswer(string requestBody)
    {
        var request = JsonNode.Parse(requestBody);
        var to = request?["to"]?.GetValue<string>() ?? request?["recipient"]?.GetValue<string>();
        return new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = to, ["wa_id"] = to }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = $"wamid.OUT{Interlocked.Increment(ref nextId)}" }),
        }.ToJsonString();
    }

    /// <summary>Graph's error shape; the message quotes nothing of the request, as a real one may.</summary>
    private static string Error(int status) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = status == 429 ? "(#4) Application request limit reached" : "(#100) Invalid parameter",
            ["type"] = "OAuthException",
            ["code"] = status == 429 ? 4 : 100,
            ["fbtrace_id"] = "AbCdEf",
        },
    }.ToJsonString();
}

/// <summary>One call the fake received: method, path, the bearer token (null without one), the query, the JSON body and its answer's status.</summary>
public sealed record GraphRequest(string Method, string Path, string? BearerToken, string Query, string Body, int Status)
{
    public bool HasAuthorization => BearerToken is not null;

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    /// <summary>The text sent: <c>message.text</c> (Send API) or <c>text.body</c> (Cloud API).</summary>
    public string? Text =>
        Json.TryGetProperty("message", out var message) && message.TryGetProperty("text", out var text) ? text.GetString()
        : Json.TryGetProperty("text", out var cloud) && cloud.TryGetProperty("body", out var body) ? body.GetString()
        : null;
}
