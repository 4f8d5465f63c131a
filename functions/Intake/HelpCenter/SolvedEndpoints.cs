using System.Text;
using Intake.Sla;
using Intake.Texts;
using Intake.Tickets;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using static Intake.Web.Pages.PageLayout;

namespace Intake.HelpCenter;

/// <summary>
/// The acknowledgement's "this solved my problem, close my ticket" link (<see cref="StatusLinks.SolvedUrl"/>). Opening it
/// shows a page with one button and changes nothing (mail scanners open every link of a mail); the button resolves the
/// ticket as self-served, with the customer in its audit trail, and counts it in the deflection figures. A wrong,
/// expired or revoked token and an unknown ticket get the same 404 as the status page; a ticket resolved already says so.
/// </summary>
public static class SolvedEndpoints
{
    public static async Task<HtmlPage> GetAsync(
        string reference, string? token, string? lang, HttpContext http, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await FindAsync(reference, token, store, links, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NotFound(lang);
        }

        var ticket = stored.Ticket;
        var language = Language(lang, ticket);
        var t = CustomerTexts.For(language);
        if (IsSettled(ticket))
        {
            return Page(StatusCodes.Status200OK, language, t["SolvedPage.AlreadyTitle"], t["SolvedPage.AlreadyText", ticket.Reference]);
        }

        var body = new StringBuilder();
        body.Append("<h1>").Append(E(t["SolvedPage.ConfirmTitle"])).Append("</h1>\n<p>").Append(E(t["SolvedPage.ConfirmText", ticket.Reference])).Append("</p>\n");
        body.Append("<form method=\"post\" action=\"").Append(E(Action(http, ticket.Reference, token!, lang))).Append("\" accept-charset=\"UTF-8\">\n");
        body.Append("<button type=\"submit\">").Append(E(t["SolvedPage.ConfirmButton"])).Append("</button>\n</form>\n");
        return new HtmlPage(StatusCodes.Status200OK, Render(language, t["SolvedPage.ConfirmTitle"], body.ToString()));
    }

    public static async Task<HtmlPage> PostAsync(
        string reference, string? token, string? lang, TicketStore store, StatusLinks links, DeflectionStore deflection, IOptions<SlaOptions> sla,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deflection);
        ArgumentNullException.ThrowIfNull(sla);
        ArgumentNullException.ThrowIfNull(time);
        if (await FindAsync(reference, token, store, links, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return NotFound(lang);
        }

        var result = await store.ChangeAsync(
            stored.Ticket.Id,
            null,
            (ticket, now) => IsSettled(ticket) ? null : Resolve(ticket, now, sla.Value),
            cancellationToken).ConfigureAwait(false);
        var language = Language(lang, result.Stored?.Ticket ?? stored.Ticket);
        var t = CustomerTexts.For(language);
        switch (result)
        {
            case { Status: ChangeStatus.Changed, Stored.Ticket: { } solved }:
                await deflection.RecordSolvedAsync(solved, solved.ResolvedAt ?? time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return Page(StatusCodes.Status200OK, language, t["SolvedPage.DoneTitle"], t["SolvedPage.DoneText", solved.Reference]);
            case { Status: ChangeStatus.Unchanged, Stored.Ticket: { } settled }:
                return Page(StatusCodes.Status200OK, language, t["SolvedPage.AlreadyTitle"], t["SolvedPage.AlreadyText", settled.Reference]);
            default:
                return Page(StatusCodes.Status503ServiceUnavailable, language, t["Page.BusyTitle"], t["Page.BusyText"]);
        }
    }

    /// <summary>The resolution, by the customer: the ticket resolved now, the SLA clock told, the audit trail saying how.</summary>
    private static TicketChange Resolve(Ticket ticket, DateTimeOffset now, SlaOptions sla)
    {
        var resolved = SlaClock.Track(ticket, ticket with { Status = TicketStatus.Resolved, ResolvedAt = now }, now, sla);
        return new TicketChange(resolved, [new TicketAudit(AuditActions.Customer, AuditActions.SelfServed, null), .. SlaClock.AuditOf(ticket, resolved)]);
    }

    private static bool IsSettled(Ticket ticket) => ticket.Status is TicketStatus.Resolved or TicketStatus.Closed;

    private static async Task<StoredTicket?> FindAsync(string reference, string? token, TicketStore store, StatusLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(links);
        if (!TicketIds.TryNormalizeReference(reference, out var canonical) || !links.MayBeValidSolved(token))
        {
            return null;
        }

        var stored = await store.FindByReferenceAsync(canonical, cancellationToken).ConfigureAwait(false);
        return stored is not null && links.IsValidSolved(stored.Ticket, token) ? stored : null;
    }

    private static string Action(HttpContext http, string reference, string token, string? lang) =>
        $"{http.Request.PathBase}{StatusLinks.SolvedPath}{Uri.EscapeDataString(reference)}?token={Uri.EscapeDataString(token)}"
        + (PageLanguages.ForTag(lang) is { } code ? "&lang=" + code : "");

    /// <summary><c>?lang=</c> when the pages speak it, else the ticket's language (English for one the pages do not speak).</summary>
    private static string Language(string? lang, Ticket? ticket) =>
        PageLanguages.ForTag(lang) ?? (CustomerTexts.Speaks(ticket?.Language) ? ticket!.Language : PageLanguages.English);

    private static HtmlPage NotFound(string? lang)
    {
        var language = Language(lang, null);
        var t = CustomerTexts.For(language);
        return Page(StatusCodes.Status404NotFound, language, t["Page.NotFoundTitle"], t["Page.NotFoundText"]);
    }

    private static HtmlPage Page(int status, string language, string title, string text) =>
        new(status, Render(language, title, $"<h1>{E(title)}</h1>\n<p>{E(text)}</p>\n"));
}
