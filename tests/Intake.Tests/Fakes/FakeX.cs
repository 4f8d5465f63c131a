using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Intake.Tests.Fakes;

/// <summary>
/// The X API v2 as far as Intake uses it, in process on 127.0.0.1 and a free port. It records every request and answers
/// <c>POST /2/dm_conversations/with/{participant_id}/messages</c> with 201 and X's <c>data</c>, or with the status
/// <see cref="RespondNextWith"/> asked for; any other path gets 404. Point <c>X:BaseUrl</c> at <see cref="BaseUrl"/>.
/// </summary>
public sealed partial class FakeX : RecordingFake<XRequest>
{
    public const string AccessToken = "x-user-context-token-0123456789";

    private readonly ConcurrentQueue<int> planned = new();
    private long nextEventId = 1_800_000_000_000_000_000;

    /// <summary>The direct messages we were asked to send, answered or not.</summary>
    public IReadOnlyList<XRequest> Sends => [.. Requests.Where(request => request.ParticipantId is not null)];

    /// <summary>The next <paramref name="count"/> calls fail with <paramref name="status"/> (429 comes with <c>Retry-After: 0</c>).</summary>
    public void RespondNextWith(int status, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            planned.Enqueue(status);
        }
    }

    /// <summary>The settings that point Intake's X channel here.</summary>
    public Dictionary<string, string> Settings(string consumerSecret) => new()
    {
        ["X:BaseUrl"] = BaseUrl.ToString(),
        ["X:ConsumerSecret"] = consumerSecret,
        ["X:AccessToken"] = AccessToken,
    };

    protected override async Task HandleAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var path = context.Request.Path.Value ?? "";
        var match = SendPath().Match(path);
        var participant = HttpMethods.IsPost(context.Request.Method) && match.Success ? match.Groups[1].Value : null;
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        int status;
        string json;
        if (participant is null)
        {
            (status, json) = (404, """{"title":"Not Found Error","type":"about:blank","status":404}""");
        }
        else if (planned.TryDequeue(out var plannedStatus))
        {
            status = plannedStatus;
            json = new JsonObject { ["title"] = "Planned failure", ["detail"] = "You sent: " + body, ["status"] = status }.ToJsonString();
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "0";
            }
        }
        else
        {
            var eventId = Interlocked.Increment(ref nextEventId).ToString(System.Globalization.CultureInfo.InvariantCulture);
            (status, json) = (201, new JsonObject
            {
                ["data"] = new JsonObject { ["dm_conversation_id"] = $"{participant}-1500000000000000000", ["dm_event_id"] = eventId },
            }.ToJsonString());
        }

        Record(new XRequest(context.Request.Method, path, participant, token, body, status));

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    [GeneratedRegex("^/2/dm_conversations/with/([^/]+)/messages$", RegexOptions.CultureInvariant)]
    private static partial Regex SendPath();
}

/// <summary>One request the fake received: method, path, the participant of a send, the bearer token, the body and the status it answered.</summary>
public sealed record XRequest(string Method, string Path, string? ParticipantId, string? BearerToken, string Body, int Status)
{
    public bool HasBearerToken => !string.IsNullOrEmpty(BearerToken);

    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
    }

    public string? Text => Json.TryGetProperty("text", out var text) ? text.GetString() : null;
}
