using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

using Intake.Web.Pages;

namespace Intake.Channels.WebForm;

/// <summary>The answer to a submission that opened the client's own ticket, or to a follow-up from its status page.</summary>
public sealed record WebFormAccepted(string TicketId, string Reference, string StatusUrl);

/// <summary>The answer to a follow-up by reference and address: the same whatever it matched, and nothing of any ticket.</summary>
public sealed record WebFormReceived(string Status, string Detail)
{
    public static WebFormReceived ByEmail { get; } = new("received", "We have received your message and will answer by email.");
}

/// <summary>
/// <c>POST /api/intake/web</c>: JSON or a urlencoded form. 202 with the ticket's reference and status link; for a
/// follow-up naming a reference without the ticket's status token, 202 with <see cref="WebFormReceived.ByEmail"/> only;
/// 400 with field errors, 413 over 64 KB, 415 for other content types, 429 with Retry-After past the per-client or
/// per-email-address limit. A filled honeypot gets 202 and nothing is stored. Nothing is stored unless everything checks out.
/// </summary>
public static class WebFormEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The HTTP part: rate limit, content type, size, parsing. What the submission means is <see cref="WebFormIntake"/>'s.</summary>
    public static async Task<IResult> SubmitAsync(
        HttpContext http, WebFormIntake forms, SubmissionRateLimiter limiter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (!limiter.TryAcquire(ClientKey(http), out var retryAfter))
        {
            return TooMany(http, retryAfter);
        }

        var json = RequestChecks.IsMediaType(request.ContentType, "application/json");
        if (!json && !RequestChecks.IsMediaType(request.ContentType, "application/x-www-form-urlencoded"))
        {
            return TypedResults.Problem("Send application/json or application/x-www-form-urlencoded.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await RequestChecks.ReadBodyAsync(http, WebFormSubmission.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {WebFormSubmission.MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var submission = json ? WebFormSubmission.FromJson(body.WrittenSpan) : WebFormSubmission.FromForm(body.WrittenSpan);
        if (submission is null)
        {
            return TypedResults.Problem("The body could not be read as " + (json ? "a JSON object of strings." : "a UTF-8 form."), statusCode: StatusCodes.Status400BadRequest);
        }

        var outcome = await forms.SubmitAsync(
            submission, request.Headers[IdempotencyHeader].ToString(), RequestBaseUrl(request), cancellationToken, ClientLanguage(request)).ConfigureAwait(false);
        return outcome switch
        {
            { Accepted: { } accepted } => TypedResults.Accepted(accepted.StatusUrl, accepted),
            { Errors: { } errors } => TypedResults.ValidationProblem(errors),
            { Received: true } => TypedResults.Accepted((string?)null, WebFormReceived.ByEmail),
            { RetryAfter: { } wait } => TooMany(http, wait),
            _ => TypedResults.Accepted((string?)null, new { }),
        };
    }

    /// <summary>The first language of the client's <c>Accept-Language</c> that Intake speaks, or null: a hint for the ticket's language.</summary>
    internal static string? ClientLanguage(HttpRequest request) =>
        request.Headers.AcceptLanguage.Count == 0 ? null : PageLanguages.ForAcceptLanguage(request.GetTypedHeaders().AcceptLanguage);

    /// <summary>Whom the per-client rate limit counts: the client's address (an IPv6 client's /64).</summary>
    internal static string ClientKey(HttpContext http) => SubmissionRateLimiter.ClientKey(http.Connection.RemoteIpAddress);

    private static ProblemHttpResult TooMany(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem("Too many submissions from this address; try again later.", statusCode: StatusCodes.Status429TooManyRequests);
    }

    /// <summary>Where the request came to, for links when <c>Intake:PublicBaseUrl</c> is not set.</summary>
    internal static string RequestBaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
