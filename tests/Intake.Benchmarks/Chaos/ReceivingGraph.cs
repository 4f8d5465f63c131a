using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// The Graph Send API as far as the fault run needs it: <c>POST /{version}/me/messages</c> or
/// <c>/{version}/{page-id}/messages</c> with the page token as a bearer header answers 200 with
/// <c>{"recipient_id","message_id"}</c>, as Meta does, and counts the message for its <c>recipient.id</c> (a PSID);
/// without the token 400 with Graph's OAuth error 190, anything else 404. During an outage it answers 503 with Graph's
/// transient error (code 2), which our Graph client retries twice and then leaves to the queue.
/// </summary>
internal sealed class ReceivingGraph : ReceivingProvider
{
    private int _nextMessageId = 1000;

    private ReceivingGraph(string pageAccessToken) => PageAccessToken = pageAccessToken;

    /// <summary>The token the server is given (<c>Meta:PageAccessToken</c>).</summary>
    public string PageAccessToken { get; }

    public static Task<ReceivingGraph> StartAsync(CancellationToken cancellationToken) =>
        StartAsync(new ReceivingGraph("EAAG-chaos-" + Guid.NewGuid().ToString("N")), cancellationToken);

    protected override async Task HandleAsync(HttpContext context)
    {
        // /{version}/me/messages or /{version}/{page-id}/messages
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsPost(context.Request.Method) || segments is not [['v', ..], _, "messages"])
        {
            await AnswerAsync(context, 404, Error(100, "Unsupported post request.")).ConfigureAwait(false);
            return;
        }

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + PageAccessToken)
        {
            await AnswerAsync(context, 400, Error(190, "Invalid OAuth access token - Cannot parse access token")).ConfigureAwait(false);
            return;
        }

        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (Unavailable(out _))
        {
            await AnswerAsync(context, 503, Error(2, "(#2) Service temporarily unavailable", transient: true)).ConfigureAwait(false);
            return;
        }

        if (request?["recipient"]?["id"] is not JsonValue id || !id.TryGetValue<string>(out var recipient) || recipient.Length == 0
            || request["message"]?["text"] is not JsonValue text || !text.TryGetValue<string>(out var sent) || sent.Length == 0)
        {
            await AnswerAsync(context, 400, Error(100, "(#100) The parameter recipient or message is required")).ConfigureAwait(false);
            return;
        }

        Accepted(recipient);
        await AnswerAsync(context, 200, new JsonObject
        {
            ["recipient_id"] = recipient,
            ["message_id"] = $"m_chaos{Interlocked.Increment(ref _nextMessageId)}",
        }).ConfigureAwait(false);
    }

    /// <summary>Graph's error shape; its message quotes nothing of the request.</summary>
    private static JsonObject Error(int code, string message, bool transient = false) => new()
    {
        ["error"] = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
            ["is_transient"] = transient,
            ["fbtrace_id"] = "AChaosRunTrace",
        },
    };
}
