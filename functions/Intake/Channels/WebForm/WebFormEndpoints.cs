using System.Buffers;
using Intake.Tickets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Intake.Channels.WebForm;

public sealed record WebFormAccepted(string TicketId, string Reference, string StatusUrl);

/// <summary>
/// <c>POST /api/intake/web</c>: JSON or a urlencoded form. 202 with the ticket's reference and status link; 400 with
/// field errors, 413 over 64 KB, 415 for other content types, 429 with Retry-After past the per-address limit. A
/// filled honeypot gets 202 and nothing is stored. Nothing is stored unless everything checks out.
/// </summary>
public static partial class WebFormEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static async Task<IResult> SubmitAsync(
        HttpContext http, TicketIntake intake, TicketStore store, StatusLinks links, SubmissionRateLimiter limiter, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(WebFormEndpoints));
        var request = http.Request;
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!limiter.TryAcquire(client, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem("Too many submissions from this address; try again later.", statusCode: StatusCodes.Status429TooManyRequests);
        }

        var json = IsMediaType(request.ContentType, "application/json");
        if (!json && !IsMediaType(request.ContentType, "application/x-www-form-urlencoded"))
        {
            return TypedResults.Problem("Send application/json or application/x-www-form-urlencoded.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {WebFormSubmission.MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var submission = json ? WebFormSubmission.FromJson(body.WrittenSpan) : WebFormSubmission.FromForm(body.WrittenSpan);
        if (submission is null)
        {
            return TypedResults.Problem("The body could not be read as " + (json ? "a JSON object of strings." : "a UTF-8 form."), statusCode: StatusCodes.Status400BadRequest);
        }

        if (submission.IsBot)
        {
            LogHoneypot(logger);
            return TypedResults.Accepted((string?)null, new { });
        }

        var errors = submission.Validate();
        var idempotencyKey = request.Headers[IdempotencyHeader].ToString();
        if (idempotencyKey.Length > 200 || idempotencyKey.Any(c => c is < ' ' or > '~'))
        {
            errors[IdempotencyHeader] = ["At most 200 printable ASCII characters."];
        }

        string? joinTicketId = null;
        if (errors.Count == 0 && TicketIds.TryNormalizeReference(submission.Reference, out var reference))
        {
            var existing = await store.FindByReferenceAsync(reference, cancellationToken).ConfigureAwait(false);
            var owner = existing is not null
                && (links.IsValid(reference, submission.Token)
                    || (submission.NormalizedEmail is { } given && string.Equals(existing.Ticket.Contact.Email, given, StringComparison.OrdinalIgnoreCase)));
            if (!owner)
            {
                // One answer whether the ticket is missing or not theirs: references are not to be probed.
                errors["reference"] = ["No ticket with this reference belongs to this email address."];
            }
            else
            {
                joinTicketId = existing!.Ticket.Id;
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var email = submission.NormalizedEmail;
        var contact = new Contact("web", email?.ToLowerInvariant() ?? "anonymous:" + Guid.NewGuid().ToString("N"), Trimmed(submission.Name), email);
        var result = await intake.AcceptAsync(
            new InboundMessage(
                "web",
                contact,
                submission.Message!,
                Trimmed(submission.Subject),
                idempotencyKey.Length == 0 ? null : "idem:" + idempotencyKey,
                submission.Language,
                joinTicketId,
                JoinOpenTicket: false),
            cancellationToken).ConfigureAwait(false);

        var statusUrl = links.Url(result.Ticket.Reference, $"{request.Scheme}://{request.Host}{request.PathBase}");
        return TypedResults.Accepted(statusUrl, new WebFormAccepted(result.Ticket.Id, result.Ticket.Reference, statusUrl));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool IsMediaType(string? contentType, string expected) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>The body, or null when it is over the limit (declared or actual).</summary>
    private static async Task<ArrayBufferWriter<byte>?> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > WebFormSubmission.MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = WebFormSubmission.MaxBodyBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > WebFormSubmission.MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web form honeypot filled; nothing stored")]
    private static partial void LogHoneypot(ILogger logger);
}
