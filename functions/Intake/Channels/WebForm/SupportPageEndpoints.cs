using Intake.Tickets;
using Intake.Web;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Channels.WebForm;

/// <summary>
/// The customer's pages: <c>GET /support</c> (the form), <c>POST /support</c> (the form as a browser posts it),
/// <c>GET /support/status/{reference}?token=</c> (a ticket's status, for whoever holds its signed link) and
/// <c>GET|POST /support/verify/{reference}?token=</c> (the link of our mail that proves the contact's address: the GET
/// shows a button, the POST proves). HTML in English, simplified or traditional Chinese; the same checks and decisions
/// as <c>POST /api/intake/web</c>.
/// </summary>
public static class SupportPageEndpoints
{
    public const string FormPath = "/support";

    public static HtmlPage GetForm(string? lang, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return new HtmlPage(StatusCodes.Status200OK, SupportPages.Form(Texts(http, lang), FormUrl(http), null, null));
    }

    /// <summary>
    /// 303 to the ticket's status page when accepted; a notice that we answer by email for a follow-up by reference and
    /// address (whatever it matched); 400 with the form again, errors marked and what was typed kept; a thank-you page
    /// when the honeypot was filled (nothing stored); 429, 415, 413 as small pages.
    /// </summary>
    public static async Task<Results<SeeOther, HtmlPage>> PostAsync(
        HttpContext http, WebFormIntake forms, SubmissionRateLimiter limiter, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(forms);
        ArgumentNullException.ThrowIfNull(limiter);
        var request = http.Request;
        var query = request.Query["lang"].ToString();
        if (!limiter.TryAcquire(WebFormEndpoints.ClientKey(http), out var retryAfter))
        {
            return TooMany(http, Texts(http, query), retryAfter);
        }

        if (!RequestChecks.IsMediaType(request.ContentType, "application/x-www-form-urlencoded"))
        {
            var t = Texts(http, query);
            return Notice(http, StatusCodes.Status415UnsupportedMediaType, t, t.UnreadableTitle, t.UnreadableText);
        }

        var body = await RequestChecks.ReadBodyAsync(http, WebFormSubmission.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            var t = Texts(http, query);
            return Notice(http, StatusCodes.Status413PayloadTooLarge, t, t.TooLargeTitle, t.TooLargeText);
        }

        var submission = WebFormSubmission.FromForm(body.WrittenSpan);
        if (submission is null)
        {
            var t = Texts(http, query);
            return Notice(http, StatusCodes.Status400BadRequest, t, t.UnreadableTitle, t.UnreadableText);
        }

        // The form carries the language its page was shown in, so that errors come back in it.
        var texts = PageTexts.ForTag(query) ?? PageTexts.ForTag(submission.Language) ?? Texts(http, null);
        // A browser cannot set the header: the page's own key stands in for it, so that the form sent twice makes one ticket.
        var key = request.Headers[WebFormEndpoints.IdempotencyHeader].ToString();
        var outcome = await forms.SubmitAsync(
            submission, key.Length > 0 ? key : submission.Submission, WebFormEndpoints.RequestBaseUrl(request), cancellationToken)
            .ConfigureAwait(false);
        // A follow-up from the status page that needs correcting goes back to that page, its error beside the box.
        if (outcome is { Errors: { } followUpErrors } && !string.IsNullOrEmpty(submission.Token) && submission.Reference is { } reference
            && await StatusPageAsync(reference, submission.Token, query, http, store, links, followUpErrors, cancellationToken).ConfigureAwait(false) is { } statusPage)
        {
            return statusPage;
        }

        return outcome switch
        {
            { Accepted: { } accepted } => new SeeOther(accepted.StatusUrl),
            { Errors: { } errors } => new HtmlPage(
                StatusCodes.Status400BadRequest, SupportPages.Form(
                    texts,
                    FormUrl(http),
                    // A key the check refused (tampered with) is replaced, or the corrected form would be refused again.
                    submission with { Website = null, Submission = errors.ContainsKey(WebFormEndpoints.IdempotencyHeader) ? null : submission.Submission },
                    errors)),
            { Received: true } => Notice(http, StatusCodes.Status200OK, texts, texts.ThanksTitle, texts.ReceivedText),
            { RetryAfter: { } wait } => TooMany(http, texts, wait),
            _ => Notice(http, StatusCodes.Status200OK, texts, texts.ThanksTitle, texts.ThanksText),
        };
    }

    private static HtmlPage TooMany(HttpContext http, PageTexts t, TimeSpan retryAfter) =>
        Notice(http, StatusCodes.Status429TooManyRequests, t, t.TooManyTitle, t.TooManyText(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))))
            with { RetryAfter = retryAfter };

    /// <summary>
    /// The ticket's reference, status, topic, thread and acknowledgement, in the ticket's language unless <c>lang</c>
    /// says otherwise; while the contact is unverified, our replies are shown as sent by email, not their text. A
    /// malformed reference, a wrong, expired or revoked token and an unknown ticket get the very same 404, so that
    /// nothing can be learnt by trying references.
    /// </summary>
    public static async Task<HtmlPage> GetStatusAsync(
        string reference, string? token, string? lang, HttpContext http, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(links);

        return await StatusPageAsync(reference, token, lang, http, store, links, null, cancellationToken).ConfigureAwait(false) ?? NotFound(http, lang);
    }

    /// <summary>The status page of the ticket a valid link names, with the follow-up box's errors if any; null when the link names none.</summary>
    private static async Task<HtmlPage?> StatusPageAsync(
        string reference, string? token, string? lang, HttpContext http, TicketStore store, StatusLinks links,
        IReadOnlyDictionary<string, string[]>? errors, CancellationToken cancellationToken)
    {
        var stored = await FindAsync(reference, token, verify: false, store, links, cancellationToken).ConfigureAwait(false);

        // The thread and the outbound records in one partition query.
        if (stored is null || await store.GetWholeAsync(stored.Ticket.Id, cancellationToken).ConfigureAwait(false) is not { } whole)
        {
            return null;
        }

        var ticket = whole.Stored.Ticket;
        var acknowledgement = whole.Outbound.FirstOrDefault(o => o.Key == AcknowledgementHandler.Key);
        var view = new StatusView(ticket, whole.Messages, acknowledgement, token!);
        var texts = PageTexts.ForTag(lang) ?? PageTexts.ForTicket(ticket.Language);
        return errors is null
            ? new HtmlPage(StatusCodes.Status200OK, SupportPages.Status(texts, FormUrl(http), view))
            : new HtmlPage(StatusCodes.Status400BadRequest, SupportPages.Status(texts, FormUrl(http), view, errors));
    }

    /// <summary>
    /// The verify link's page: a button that posts to the same address. Opening it proves nothing and changes nothing,
    /// since mail scanners open every link of a mail. A wrong or expired token and an unknown ticket get the status page's 404.
    /// </summary>
    public static async Task<HtmlPage> GetVerifyAsync(
        string reference, string? token, string? lang, HttpContext http, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var stored = await FindAsync(reference, token, verify: true, store, links, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return NotFound(http, lang);
        }

        var ticket = stored.Ticket;
        var texts = PageTexts.ForTag(lang) ?? PageTexts.ForTicket(ticket.Language);
        var action = $"{http.Request.PathBase}{StatusLinks.VerifyPath}{Uri.EscapeDataString(ticket.Reference)}?token={Uri.EscapeDataString(token!)}";
        return new HtmlPage(StatusCodes.Status200OK, SupportPages.Verify(texts, ticket.Reference, action));
    }

    /// <summary>
    /// The verify link's button: the contact is verified, which revokes every status link given out before (to whoever
    /// typed the address into the form), and the answer is 303 to a freshly signed status link. On a ticket verified
    /// already it only signs a fresh link. Nothing is read from the body: the token in the address is the authority.
    /// </summary>
    public static async Task<Results<SeeOther, HtmlPage>> PostVerifyAsync(
        string reference, string? token, HttpContext http, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(links);
        var stored = await FindAsync(reference, token, verify: true, store, links, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return NotFound(http, null);
        }

        var result = await store.ChangeAsync(stored.Ticket.Id, null, (ticket, _) => ContactVerification.ByVerifyLink(ticket), cancellationToken).ConfigureAwait(false);
        if (result is not { Status: ChangeStatus.Changed or ChangeStatus.Unchanged, Stored.Ticket: { } verified })
        {
            var t = PageTexts.ForTicket(stored.Ticket.Language);
            return Notice(http, StatusCodes.Status503ServiceUnavailable, t, t.BusyTitle, t.BusyText);
        }

        return new SeeOther(links.Url(verified, WebFormEndpoints.RequestBaseUrl(http.Request)));
    }

    /// <summary>
    /// The ticket a link names, when its token is valid for it: a status token for the ticket's current nonce, or a verify
    /// token for its address. The token's shape and expiry are checked before storage is read, so that most bad links
    /// cost no lookup; the MAC, which needs the ticket, after.
    /// </summary>
    private static async Task<StoredTicket?> FindAsync(
        string reference, string? token, bool verify, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(links);
        if (!TicketIds.TryNormalizeReference(reference, out var canonical) || !links.MayBeValid(token, verify))
        {
            return null;
        }

        var stored = await store.FindByReferenceAsync(canonical, cancellationToken).ConfigureAwait(false);
        return stored is not null && (verify ? links.IsValidVerify(stored.Ticket, token) : links.IsValid(stored.Ticket, token)) ? stored : null;
    }

    private static HtmlPage NotFound(HttpContext http, string? lang)
    {
        var t = Texts(http, lang);
        return Notice(http, StatusCodes.Status404NotFound, t, t.NotFoundTitle, t.NotFoundText);
    }

    /// <summary><c>?lang=</c> when it names a language the pages speak, else the browser's <c>Accept-Language</c>.</summary>
    private static PageTexts Texts(HttpContext http, string? lang) =>
        PageTexts.ForTag(lang) ?? PageTexts.Negotiate(http.Request.GetTypedHeaders().AcceptLanguage);

    private static string FormUrl(HttpContext http) => http.Request.PathBase + FormPath;

    private static HtmlPage Notice(HttpContext http, int statusCode, PageTexts t, string title, string text) =>
        new(statusCode, SupportPages.Notice(t, title, text, FormUrl(http) + "?lang=" + t.Code));
}
