using Intake.Messaging;
using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Channels.WebForm;

/// <summary>
/// What became of a submission: accepted as the client's own ticket (<see cref="Accepted"/>: its status link), refused
/// with field errors, refused because its email address is over its limit (<see cref="RetryAfter"/>), received
/// (<see cref="Received"/>: a follow-up by reference, answered the same whatever it matched), or quietly ignored (the honeypot).
/// </summary>
public sealed record WebFormOutcome(WebFormAccepted? Accepted, Dictionary<string, string[]>? Errors, bool Received = false, TimeSpan? RetryAfter = null)
{
    public static WebFormOutcome Ignored { get; } = new(null, null);

    public static WebFormOutcome ReceivedByEmail { get; } = new(null, null, Received: true);

    public static WebFormOutcome TooMany(TimeSpan retryAfter) => new(null, null, RetryAfter: retryAfter);
}

/// <summary>
/// The web form's decisions, shared by the JSON API and the HTML page: checks, the sending address's limit, then intake.
/// Nothing is stored unless everything checks out. A submission naming a reference either holds the ticket's status
/// token (the follow-up box of the status page: it joins, and returns to the page with that token) or gives an email
/// address: then it joins the ticket when the address is the ticket's, and opens a ticket of its own when not, and
/// either way the answer carries nothing of any ticket (<see cref="WebFormOutcome.ReceivedByEmail"/>), so that a
/// reference and an address — printed in mail, easily guessed — neither open a ticket's page nor tell whether they
/// belong together. Every message the form takes with an address is marked unproven
/// (<see cref="InboundMessage.SenderVerified"/> false): anyone can type any address.
/// </summary>
public sealed partial class WebFormIntake(TicketIntake intake, TicketStore store, StatusLinks links, SubmissionRateLimiter limiter, ILogger<WebFormIntake> logger)
{
    internal const string EmailNeededError = "To add to a ticket, give the email address you used for it.";

    /// <param name="clientLanguage">The language the client asked for (<c>Accept-Language</c>, negotiated): a hint when the form says none.</param>
    public async Task<WebFormOutcome> SubmitAsync(
        WebFormSubmission submission, string? idempotencyKey, string requestBaseUrl, CancellationToken cancellationToken, string? clientLanguage = null)
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

        StoredTicket? existing = null;
        var named = false;
        if (errors.Count == 0 && TicketIds.TryNormalizeReference(submission.Reference, out var reference))
        {
            named = true;
            existing = await store.FindByReferenceAsync(reference, cancellationToken).ConfigureAwait(false);
        }

        var holder = existing is not null && links.MayBeValid(submission.Token) && links.IsValid(existing.Ticket, submission.Token);
        if (named && !holder && submission.NormalizedEmail is null)
        {
            // A token that is wrong, expired or revoked, and no address to answer to: the same error whether the ticket exists or not.
            errors["reference"] = [EmailNeededError];
        }

        if (errors.Count > 0)
        {
            return new WebFormOutcome(null, errors);
        }

        // The holder of the status link writes as the ticket's customer; anyone else as the address they typed.
        var email = submission.NormalizedEmail ?? (holder ? existing!.Ticket.Contact.Email : null);
        var joins = holder || (named && existing is not null && string.Equals(existing.Ticket.Contact.Email, email, StringComparison.OrdinalIgnoreCase));
        var contact = new Contact(ChannelNames.Web, email?.ToLowerInvariant() ?? "anonymous:" + Guid.NewGuid().ToString("N"), Trimmed(submission.Name), email);
        var result = await intake.AcceptAsync(
            new InboundMessage(
                ChannelNames.Web,
                contact,
                submission.Message!,
                Trimmed(submission.Subject),
                idempotencyKey.Length == 0 ? null : IdempotencyId(idempotencyKey, email, submission.Message!),
                string.IsNullOrWhiteSpace(submission.Language) ? clientLanguage : submission.Language,
                joins ? existing!.Ticket.Id : null,
                JoinOpenTicket: false)
            {
                ChosenLanguage = string.IsNullOrWhiteSpace(submission.ReplyLanguage) ? null : submission.ReplyLanguage,
                // Without an address there is nothing to prove: the signed link is the only way to the customer.
                SenderVerified = email is null ? null : false,
            },
            cancellationToken).ConfigureAwait(false);

        if (result.Blocked)
        {
            // Answered as a message that will be answered by email: nothing tells the sender they are blocked.
            return WebFormOutcome.ReceivedByEmail;
        }

        if (named && !holder)
        {
            LogReceivedByReference(logger, result.Ticket.Id, result.Created);
            return WebFormOutcome.ReceivedByEmail;
        }

        // A submission sent again (the same key, address and text) finds its ticket. Once the owner of the address has
        // proved it, a link would let whoever typed the address in the first place past the proof: no link then.
        if (result.Duplicate && !holder && email is not null && result.Ticket.Contact.Verified)
        {
            return WebFormOutcome.ReceivedByEmail;
        }

        // Back to the page the client came from, with the token it holds; a ticket of its own (a new one, or one that
        // follows on from a closed ticket) with a link of its own.
        var statusUrl = holder && result.Ticket.Id == existing!.Ticket.Id
            ? links.Url(result.Ticket.Reference, submission.Token!, requestBaseUrl)
            : links.Url(result.Ticket, requestBaseUrl);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Web form follow-up by reference stored on ticket {TicketId} (new ticket: {Created}); answered without a link")]
    private static partial void LogReceivedByReference(ILogger logger, string ticketId, bool created);
}
