using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Channels.WebForm;

/// <summary>
/// What became of a submission: accepted, refused with field errors, refused because its email address is over its limit
/// (<see cref="RetryAfter"/>), or quietly ignored (the honeypot).
/// </summary>
public sealed record WebFormOutcome(WebFormAccepted? Accepted, Dictionary<string, string[]>? Errors, TimeSpan? RetryAfter = null)
{
    public static WebFormOutcome Ignored { get; } = new(null, null);

    public static WebFormOutcome TooMany(TimeSpan retryAfter) => new(null, null, retryAfter);
}

/// <summary>
/// The web form's decisions, shared by the JSON API and the HTML page: checks, the sending address's limit, follow-up
/// ownership (the ticket's email address or its status token), then intake. Nothing is stored unless everything checks out.
/// </summary>
public sealed partial class WebFormIntake(TicketIntake intake, TicketStore store, StatusLinks links, SubmissionRateLimiter limiter, ILogger<WebFormIntake> logger)
{
    internal const string NotTheirsError = "No ticket with this reference belongs to this email address.";

    public async Task<WebFormOutcome> SubmitAsync(WebFormSubmission submission, string? idempotencyKey, string requestBaseUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (submission.IsBot)
        {
            LogHoneypot(logger);
            return WebFormOutcome.Ignored;
        }

        var errors = submission.Validate();
        idempotencyKey ??= "";
        if (idempotencyKey.Length > 200 || idempotencyKey.Any(c => c is < ' ' or > '~'))
        {
            errors[WebFormEndpoints.IdempotencyHeader] = ["At most 200 printable ASCII characters."];
        }

        // Counted once the submission could be stored, and before anything is looked up: one address (however spelt) cannot
        // open tickets or probe references faster than its limit, whichever clients it comes through.
        if (errors.Count == 0 && submission.NormalizedEmail is { } sender && !limiter.TryAcquireSender(sender, out var retryAfter))
        {
            LogSenderLimited(logger);
            return WebFormOutcome.TooMany(retryAfter);
        }

        string? joinTicketId = null;
        if (errors.Count == 0 && TicketIds.TryNormalizeReference(submission.Reference, out var reference))
        {
            var existing = await store.FindByReferenceAsync(reference, cancellationToken).ConfigureAwait(false);
            var owner = existing is not null
                && (links.IsValid(reference, submission.Token)
                    || (submission.NormalizedEmail is { } given && string.Equals(existing.Ticket.Contact.Email, given, StringComparison.OrdinalIgnoreCase)));
            if (owner)
            {
                joinTicketId = existing!.Ticket.Id;
            }
            else
            {
                // One answer whether the ticket is missing or not theirs: references are not to be probed.
                errors["reference"] = [NotTheirsError];
            }
        }

        if (errors.Count > 0)
        {
            return new WebFormOutcome(null, errors);
        }

        var email = submission.NormalizedEmail;
        var contact = new Contact("web", email?.ToLowerInvariant() ?? "anonymous:" + Guid.NewGuid().ToString("N"), Trimmed(submission.Name), email);
        var result = await intake.AcceptAsync(
            new InboundMessage(
                "web",
                contact,
                submission.Message!,
                Trimmed(submission.Subject),
                idempotencyKey.Length == 0 ? null : IdempotencyId(idempotencyKey, email, submission.Message!),
                submission.Language,
                joinTicketId,
                JoinOpenTicket: false),
            cancellationToken).ConfigureAwait(false);

        var statusUrl = links.Url(result.Ticket.Reference, requestBaseUrl);
        return new WebFormOutcome(new WebFormAccepted(result.Ticket.Id, result.Ticket.Reference, statusUrl), null);
    }

    /// <summary>
    /// The dedupe id of a keyed submission. Keys come from anonymous clients and may collide (a careless client counting
    /// from 1): scoped to the address and the text, a key can only ever find the very submission it was sent with.
    /// </summary>
    private static string IdempotencyId(string key, string? email, string message)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{key}\n{email?.ToLowerInvariant()}\n{message}"));
        return "idem:" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web form submission refused: its email address is over its limit")]
    private static partial void LogSenderLimited(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Web form honeypot filled; nothing stored")]
    private static partial void LogHoneypot(ILogger logger);
}
