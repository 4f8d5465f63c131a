using System.Text.Json;
using System.Text.Json.Serialization;
using Intake.Storage;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Channels.X;

/// <summary>The CRC answer: <c>{"response_token":"sha256=…"}</c>.</summary>
public sealed record XCrcResponse([property: JsonPropertyName("response_token")] string ResponseToken);

/// <summary>
/// <c>GET|POST /api/intake/x</c>, the Account Activity webhook. Both answer 404 while the channel is off (no consumer
/// secret). GET answers X's CRC challenge, for a token of X's shape only (400 otherwise). POST reads the raw body (413
/// over 1 MB), checks its signature (401, nothing stored), parses it (400 unless a JSON object), then stores every direct
/// message it carries and answers 200, or 500 when one could not be stored, so that X delivers the batch again.
/// </summary>
public static class XEndpoints
{
    public const string CrcTokenParameter = "crc_token";

    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>X's tokens are a few dozen characters; anything much longer is not X.</summary>
    public const int MaxCrcTokenLength = 256;

    public static Results<Ok<XCrcResponse>, ProblemHttpResult> Crc(HttpContext http, IOptionsMonitor<XOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsWebhookConfigured)
        {
            return NotConfigured();
        }

        var tokens = http.Request.Query[CrcTokenParameter];
        if (tokens.Count != 1 || tokens[0] is not { } token || !IsCrcToken(token))
        {
            return TypedResults.Problem(
                $"One {CrcTokenParameter} of 1–{MaxCrcTokenLength} letters, digits and + / = _ - is required.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(new XCrcResponse(XSignatures.ResponseToken(settings.ConsumerSecret!, token)));
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, XWebhook webhook, IOptionsMonitor<XOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsWebhookConfigured)
        {
            return NotConfigured();
        }

        var body = await RequestChecks.ReadBodyAsync(http, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {MaxBodyBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var signature = http.Request.Headers[XSignatures.SignatureHeader];
        if (signature.Count != 1 || !XSignatures.IsValid(signature[0], settings.ConsumerSecret!, body.WrittenSpan))
        {
            return TypedResults.Problem($"Missing or wrong {XSignatures.SignatureHeader}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (Decide(body.WrittenMemory) is not var (decisions, kinds))
        {
            return TypedResults.Problem("The body is not an Account Activity payload in JSON.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (decisions.Count == 0)
        {
            // Likes, follows, tweets, typing, read receipts: nothing a customer wrote to us, but an operator sees what came.
            webhook.LogWithoutDirectMessages(kinds);
        }

        var (failed, unavailable) = await webhook.HandleAsync(decisions, cancellationToken).ConfigureAwait(false);
        if (failed > 0 && failed == unavailable)
        {
            // Storage is out of reach: 503 with Retry-After, as every intake answers then; X delivers the payload again.
            return StorageOutage.Problem(http.Response);
        }

        if (failed > 0)
        {
            return TypedResults.Problem(
                $"{failed} direct message(s) could not be stored; deliver the payload again.", statusCode: StatusCodes.Status500InternalServerError);
        }

        return TypedResults.Ok();
    }

    /// <summary>
    /// Whether a CRC token has X's shape. The answer is the very HMAC that signs a delivery, so this check is what keeps
    /// the CRC from signing anything a stranger asks for: no JSON object (nor anything with a brace, quote or space) can
    /// be written in this alphabet, so no signed answer is ever a valid delivery's signature.
    /// </summary>
    internal static bool IsCrcToken(string token)
    {
        if (token.Length is 0 or > MaxCrcTokenLength)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/' or '=' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The decisions for a body and the names of the activities it carries, or null when it is not JSON or not an
    /// Account Activity payload.
    /// </summary>
    internal static (IReadOnlyList<XDecision> Decisions, string Kinds)? Decide(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return XEvents.Decide(document.RootElement) is { } decisions ? (decisions, XEvents.ActivityKinds(document.RootElement)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem("The X channel is not configured.", statusCode: StatusCodes.Status404NotFound);
}
