using System.Security.Cryptography;
using System.Text;
using Intake.Storage;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Meta;

/// <summary>
/// <c>GET|POST /api/intake/meta</c>, the app's one webhook for Messenger, Instagram and WhatsApp. Both answer 404 while
/// the channel is off. GET is the subscription handshake. POST: 401 without a valid <c>X-Hub-Signature-256</c>, 413
/// over 1 MB, 400 for a body that is not a delivery; otherwise every event is handled, and the answer is 200, or 503
/// with <c>Retry-After</c> when storage was out of reach, or 500 when storing an event failed otherwise, so that Meta
/// redelivers the whole batch (the message ids make that safe).
/// </summary>
public static class MetaEndpoints
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    public const int MaxBodyBytes = 1024 * 1024;

    private const string SignaturePrefix = "sha256=";

    /// <summary>Meta sends a number; anything much longer is not a challenge of theirs.</summary>
    private const int MaxChallengeLength = 256;

    /// <summary>The handshake: <c>hub.mode=subscribe</c> and our verify token get <c>hub.challenge</c> back as text; else 403.</summary>
    public static IResult Verify(HttpRequest request, IOptionsMonitor<MetaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsWebhookConfigured)
        {
            return NotConfigured();
        }

        var query = request.Query;
        if (query["hub.mode"].ToString() != "subscribe" || !RequestChecks.SecretEquals(query["hub.verify_token"].ToString(), settings.VerifyToken!))
        {
            return TypedResults.Problem("Wrong hub.mode or hub.verify_token.", statusCode: StatusCodes.Status403Forbidden);
        }

        var challenge = query["hub.challenge"].ToString();
        if (challenge.Length is 0 or > MaxChallengeLength || !challenge.All(char.IsAsciiLetterOrDigit))
        {
            return TypedResults.Problem("hub.challenge is missing or not a challenge.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Text(challenge, "text/plain", Encoding.UTF8);
    }

    public static async Task<IResult> ReceiveAsync(HttpContext http, MetaWebhook webhook, IOptionsMonitor<MetaOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsWebhookConfigured)
        {
            return NotConfigured();
        }

        if (SignatureBytes(http.Request.Headers[SignatureHeader].ToString()) is not { } signature)
        {
            return Unauthorized();
        }

        var body = await RequestChecks.ReadBodyAsync(http, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {MaxBodyBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (!SignatureMatches(body.WrittenSpan, signature, settings.AppSecret!))
        {
            return Unauthorized();
        }

        if (MetaEvents.Parse(body.WrittenSpan) is not { } delivery)
        {
            return TypedResults.Problem("The body is not a Meta webhook delivery in JSON (an object with object and entry).", statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await webhook.HandleAsync(delivery, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            { Failed: 0 } => TypedResults.Ok(),

            // Storage is out of reach: 503 with Retry-After, as every intake answers then; Meta delivers the batch again.
            { Failed: var failed, Unavailable: var unavailable } when failed == unavailable => StorageOutage.Problem(http.Response),
            _ => TypedResults.Problem(
                $"{outcome.Failed} of the delivery's events could not be stored; the others were. Deliver it again.",
                statusCode: StatusCodes.Status500InternalServerError),
        };
    }

    /// <summary>The 32 bytes of <c>sha256=&lt;64 hex&gt;</c>, or null for a missing or malformed header.</summary>
    internal static byte[]? SignatureBytes(string header)
    {
        if (!header.StartsWith(SignaturePrefix, StringComparison.Ordinal) || header.Length != SignaturePrefix.Length + (2 * SHA256.HashSizeInBytes))
        {
            return null;
        }

        var hex = header.AsSpan(SignaturePrefix.Length);
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return null;
            }
        }

        return Convert.FromHexString(hex);
    }

    /// <summary>HMAC-SHA256 of the raw body under the app secret, compared in constant time with what the header says.</summary>
    internal static bool SignatureMatches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, string appSecret)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }

    private static ProblemHttpResult NotConfigured() =>
        TypedResults.Problem("The Meta channels are not configured.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem($"Missing or wrong {SignatureHeader}.", statusCode: StatusCodes.Status401Unauthorized);
}
