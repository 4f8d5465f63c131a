using Azure;
using Intake.Agents;
using Intake.Desk.Dashboard;
using Intake.Surveys;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Desk;

/// <summary>
/// The desk's handlers, the same in both hosts: <c>GET|POST /desk/sign-in</c>, <c>POST /desk/sign-out</c>, <c>GET /desk</c>
/// (the queue), <c>GET /desk/tickets/{id}</c> and <c>POST /desk/tickets/{id}/{action}</c> (reply, resolve, reopen,
/// status, triage). Every page but sign-in needs a session (<see cref="DeskSignIn"/>; without one, 303 to sign-in), every
/// post the session's form token (403 without it). A write goes through the agent API's own <see cref="AgentDesk"/>,
/// held to the ticket's ETag as the page showed it: a change made meanwhile is a 409 that says so and keeps the reply.
/// </summary>
public static class DeskEndpoints
{
    public static async Task<IResult> GetSignInAsync(HttpContext http, DeskSignIn signIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        var t = Texts(http, signIn);
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not null)
        {
            return new SeeOther(DeskPaths.Queue);
        }

        return Page(StatusCodes.Status200OK, DeskPages.SignIn(t, signIn.SignInFormToken(http), null, null));
    }

    public static async Task<IResult> PostSignInAsync(
        HttpContext http, DeskSignIn signIn, IOptionsMonitor<DeskOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var t = Texts(http, signIn);
        var (form, status) = await DeskForm.ReadAsync(http, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return Unreadable(t, null, status);
        }

        var name = form["name"]?.Trim() ?? "";
        if (!DeskSignIn.SignInFormMatches(http, form[DeskSignIn.FormTokenField]))
        {
            // No cookie (it expired, or the post came from elsewhere): a new form, nothing counted against the name.
            return Page(StatusCodes.Status400BadRequest, DeskPages.SignIn(t, signIn.SignInFormToken(http), name, t["SignIn.Expired"]));
        }

        var key = form["key"] ?? "";
        if (name.Length is 0 or > DeskSignIn.MaxNameLength || key.Length is 0 or > DeskSignIn.MaxKeyLength)
        {
            return Page(StatusCodes.Status400BadRequest, DeskPages.SignIn(t, signIn.SignInFormToken(http), name.Length > DeskSignIn.MaxNameLength ? null : name, t["SignIn.Missing"]));
        }

        var outcome = await signIn.SignInAsync(name, key, cancellationToken).ConfigureAwait(false);
        if (outcome.LockedUntil is { } until)
        {
            var left = until - time.GetUtcNow();
            return new HtmlPage(StatusCodes.Status429TooManyRequests, DeskPages.SignIn(t, signIn.SignInFormToken(http), name, t.Format("SignIn.Locked", DeskPages.TimeText(until))))
            {
                RetryAfter = left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1),
            };
        }

        if (outcome.Token is not { } token)
        {
            return Page(StatusCodes.Status401Unauthorized, DeskPages.SignIn(t, signIn.SignInFormToken(http), name, t["SignIn.Wrong"]));
        }

        signIn.SetSessionCookie(http, token, options.CurrentValue.SessionLifetime);
        http.Response.Cookies.Delete(DeskSignIn.SignInCookie, signIn.CookieOptions(http, TimeSpan.Zero));
        return new SeeOther(DeskPaths.Queue);
    }

    public static async Task<IResult> PostSignOutAsync(HttpContext http, DeskSignIn signIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        var (session, refusal) = await PostingSessionAsync(http, signIn, cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return refusal!;
        }

        await signIn.SignOutAsync(http, cancellationToken).ConfigureAwait(false);
        return new SeeOther(DeskPaths.SignIn);
    }

    /// <summary>The queue: tickets of the filter's statuses, most urgent first, then by SLA due time; a page at a time.</summary>
    public static async Task<IResult> GetQueueAsync(
        HttpContext http, DeskSignIn signIn, TicketListing listing, TicketStore store, IOptionsMonitor<DeskOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var t = Texts(http, signIn);
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            return new SeeOther(DeskPaths.SignIn);
        }

        var (filter, query) = ReadFilter(http.Request.Query, options.CurrentValue.PageSize);
        var page = await listing.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var rows = await Task.WhenAll(page.Tickets.Select(async ticket => new QueueRow(
            ticket,
            ticket.Subject is { Length: > 0 } subject
                ? subject
                : (await store.GetMessageAsync(ticket.Id, 1, cancellationToken).ConfigureAwait(false))?.Text))).ConfigureAwait(false);
        return Page(StatusCodes.Status200OK, DeskPages.Queue(t, session, filter, rows, page.ContinuationToken, time.GetUtcNow()));
    }

    /// <summary>The filter as asked (anything not understood is no filter) and the listing's query for it.</summary>
    internal static (QueueFilter Filter, TicketQuery Query) ReadFilter(IQueryCollection query, int pageSize)
    {
        string? Value(string name) => query[name].ToString() is { Length: > 0 and <= 64 } value ? value : null;
        var status = Value("status") ?? QueueFilter.Active;
        IReadOnlyList<TicketStatus>? statuses = null;
        TicketStatus? single = null;
        if (TicketNames.TryParseStatus(status, out var parsed))
        {
            single = parsed;
        }
        else if (status != QueueFilter.All)
        {
            status = QueueFilter.Active;
            statuses = [TicketStatus.New, TicketStatus.Open, TicketStatus.WaitingOnCustomer];
        }

        Urgency? urgency = TriageNames.TryParseUrgency(Value("urgency") ?? "", out var u) ? u : null;
        TicketCategory? category = TriageNames.TryParseCategory(Value("category") ?? "", out var c) ? c : null;
        var channel = Value("channel") is { } ch && DeskPages.Channels.Contains(ch) ? ch : null;
        var language = Value("language") is { } l && CustomerTexts.Languages.Contains(l) ? l : null;
        var token = query["page"].ToString() is { Length: > 0 and <= 2048 } p ? p : null;
        var filter = new QueueFilter(status, urgency?.ToName(), channel, category?.ToName(), language, token);
        return (filter, new TicketQuery(single, urgency, channel, category, pageSize, token, language, statuses));
    }

    public static async Task<IResult> GetTicketAsync(
        string id, HttpContext http, DeskSignIn signIn, TicketStore store, ContactBlocks blocks, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        var t = Texts(http, signIn);
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            return new SeeOther(DeskPaths.SignIn);
        }

        return await TicketPageAsync(id, t, session, store, blocks, time, DoneNotice(http, t), null, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An agent's change from the ticket page: <c>reply</c> (<c>text</c>), <c>resolve</c>, <c>reopen</c>, <c>status</c>
    /// (<c>open</c> or <c>waiting_on_customer</c>), <c>triage</c> (<c>urgency</c>, <c>category</c>); each form carries the
    /// ETag the page was rendered with. 303 back to the ticket when done; the ticket page with a notice otherwise.
    /// </summary>
    public static async Task<IResult> PostTicketAsync(
        string id, string action, HttpContext http, DeskSignIn signIn, AgentDesk desk, TicketStore store, ContactBlocks blocks, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(desk);
        var t = Texts(http, signIn);
        var (session, refusal, form) = await PostedFormAsync(http, signIn, t, cancellationToken).ConfigureAwait(false);
        if (session is null || form is null)
        {
            return refusal!;
        }

        ETag? ifMatch = form["etag"] is { Length: > 0 and <= 128 } etag ? new ETag(etag) : null;
        if (ifMatch is null)
        {
            return await TicketPageAsync(id, t, session, store, blocks, time, new DeskNotice(t["Notice.Expired"], true), form["text"], StatusCodes.Status400BadRequest, cancellationToken)
                .ConfigureAwait(false);
        }

        var agent = session.Agent;
        var typed = action == "reply" ? form["text"] : null;
        Func<ETag, Task<AgentOutcome>>? change = action switch
        {
            "reply" when typed is { Length: > 0 and <= AgentRequests.MaxTextLength } text && !string.IsNullOrWhiteSpace(text) => etag => desk.ReplyAsync(id, etag, agent, text, cancellationToken),
            "resolve" => etag => desk.ResolveAsync(id, etag, agent, cancellationToken),
            "reopen" => etag => desk.ReopenAsync(id, etag, agent, cancellationToken),
            "status" when TicketNames.TryParseStatus(form["status"], out var status) && status is TicketStatus.Open or TicketStatus.WaitingOnCustomer =>
                etag => desk.PatchAsync(id, etag, new TicketPatch(agent, status, null, null), cancellationToken),
            "triage" when TriageNames.TryParseUrgency(form["urgency"] ?? "", out var urgency) && TriageNames.TryParseCategory(form["category"] ?? "", out var category) =>
                etag => desk.PatchAsync(id, etag, new TicketPatch(agent, null, urgency, category), cancellationToken),
            _ => null,
        };
        if (change is null)
        {
            var why = action == "reply" ? t["Notice.ReplyLength"] : t["Notice.Invalid"];
            return await TicketPageAsync(id, t, session, store, blocks, time, new DeskNotice(why, true), typed, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await change(ifMatch.Value).ConfigureAwait(false);
        if (outcome.Result.Status == ChangeStatus.Stale && form["seen"] is { } seen
            && await store.GetWholeAsync(id, cancellationToken).ConfigureAwait(false) is { } current && Seen(current) == seen)
        {
            // What changed is nothing the agent acts on (the acknowledgement went out, the monitor noted a warning): the
            // page still shows the ticket as it is, so the change goes ahead against the ticket as it is now.
            outcome = await change(current.Stored.ETag).ConfigureAwait(false);
        }

        var (code, notice) = outcome switch
        {
            { Result.Status: ChangeStatus.NotFound } => (StatusCodes.Status404NotFound, (string?)null),
            { Result.Status: ChangeStatus.Stale } => (StatusCodes.Status409Conflict, t["Notice.Conflict"]),
            { Result.Status: ChangeStatus.Busy } => (StatusCodes.Status409Conflict, t["Notice.Busy"]),
            { Refusal: { } why } => (StatusCodes.Status409Conflict, t.Format("Notice.Refused", why)),
            { Result.Status: ChangeStatus.Changed } => (StatusCodes.Status303SeeOther, null),
            _ => (StatusCodes.Status303SeeOther, null),
        };
        if (code == StatusCodes.Status303SeeOther)
        {
            var done = outcome.Result.Status == ChangeStatus.Changed ? action : "unchanged";
            return new SeeOther(DeskPaths.Ticket(id) + "?done=" + done);
        }

        return await TicketPageAsync(id, t, session, store, blocks, time, notice is null ? null : new DeskNotice(notice, true), typed, code, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The lead's dashboard for <c>?from=&amp;to=</c> (days, UTC, both included; the last 30 days by default, at most 92):
    /// a range it cannot read shows the default range with a notice, as a 400.
    /// </summary>
    public static async Task<IResult> GetDashboardAsync(HttpContext http, DeskSignIn signIn, DashboardData dashboard, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(time);
        var t = Texts(http, signIn);
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            return new SeeOther(DeskPaths.SignIn);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        string? Value(string name) => http.Request.Query[name].ToString() is { Length: <= 32 } value ? value : "-";
        var (range, errors) = MetricsEndpoints.Range(Value("from"), Value("to"), today);
        var (from, to) = range ?? MetricsEndpoints.Range(null, null, today).Range!.Value;
        var report = await dashboard.LoadAsync(from, to, cancellationToken).ConfigureAwait(false);
        var body = DashboardPage.RenderBody(report, t.Language, from, to);
        if (errors.Count > 0)
        {
            body = $"""<div class="notice problem" role="alert"><p>{Web.Pages.PageLayout.E(t.Format("Dashboard.BadRange", DashboardData.MaxDays))}</p></div>""" + "\n" + body;
        }

        var html = DeskLayout.Render(t, t["Nav.Dashboard"], DeskPaths.Dashboard, session, body, DeskPaths.Dashboard + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"));
        return Page(errors.Count > 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, html);
    }

    /// <summary>The blocked contacts; <c>?channel=&amp;id=</c> opens one block's recorded messages.</summary>
    public static async Task<IResult> GetBlockedAsync(HttpContext http, DeskSignIn signIn, ContactBlocks blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);
        ArgumentNullException.ThrowIfNull(blocks);
        var t = Texts(http, signIn);
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            return new SeeOther(DeskPaths.SignIn);
        }

        var list = await blocks.ListAsync(cancellationToken).ConfigureAwait(false);
        var channel = http.Request.Query["channel"].ToString();
        var id = http.Request.Query["id"].ToString();
        var opened = list.FirstOrDefault(b => b.Channel == channel && string.Equals(b.ContactId, id, StringComparison.OrdinalIgnoreCase));
        var messages = opened is null ? [] : await blocks.BlockedMessagesAsync(opened.Channel, opened.ContactId, 200, cancellationToken).ConfigureAwait(false);
        return Page(StatusCodes.Status200OK, BlockedPages.List(t, session, list, opened, messages, DoneNotice(http, t)));
    }

    /// <summary>Blocks (<c>POST /desk/blocked</c>) or unblocks (<c>POST /desk/blocked/remove</c>) the contact <c>channel</c>, <c>id</c>; back to the ticket named by <c>ticket</c>, else to the list.</summary>
    public static async Task<IResult> PostBlockAsync(HttpContext http, DeskSignIn signIn, ContactBlocks blocks, TicketStore store, CancellationToken cancellationToken) =>
        await ChangeBlockAsync(http, signIn, blocks, store, block: true, cancellationToken).ConfigureAwait(false);

    public static async Task<IResult> PostUnblockAsync(HttpContext http, DeskSignIn signIn, ContactBlocks blocks, TicketStore store, CancellationToken cancellationToken) =>
        await ChangeBlockAsync(http, signIn, blocks, store, block: false, cancellationToken).ConfigureAwait(false);

    private static async Task<IResult> ChangeBlockAsync(HttpContext http, DeskSignIn signIn, ContactBlocks blocks, TicketStore store, bool block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(store);
        var t = Texts(http, signIn);
        var (session, refusal, form) = await PostedFormAsync(http, signIn, t, cancellationToken).ConfigureAwait(false);
        if (session is null || form is null)
        {
            return refusal!;
        }

        var channel = form["channel"];
        var id = form["id"]?.Trim();
        if (channel is null || !DeskPages.Channels.Contains(channel) || id is not { Length: > 0 and <= ContactBlocks.MaxContactIdLength })
        {
            var list = await blocks.ListAsync(cancellationToken).ConfigureAwait(false);
            return Page(StatusCodes.Status400BadRequest, BlockedPages.List(t, session, list, null, [], new DeskNotice(t["Blocked.Invalid"], true)));
        }

        // From a ticket: the name it stores goes with the block, and the agent goes back to it.
        var ticket = form["ticket"] is { Length: > 0 and <= 64 } ticketId ? await store.GetAsync(ticketId, cancellationToken).ConfigureAwait(false) : null;
        string done;
        if (block)
        {
            var reason = form["reason"]?.Trim() is { Length: > 0 } given ? given[..Math.Min(given.Length, ContactBlocks.MaxReasonLength)] : null;
            var name = ticket?.Ticket.Contact is { } contact && contact.Channel == channel && string.Equals(contact.Id, id, StringComparison.OrdinalIgnoreCase) ? contact.Name : null;
            await blocks.BlockAsync(channel, id, name, session.Agent, reason, cancellationToken).ConfigureAwait(false);
            done = "blocked";
        }
        else
        {
            done = await blocks.UnblockAsync(channel, id, session.Agent, cancellationToken).ConfigureAwait(false) ? "unblocked" : "notblocked";
        }

        return new SeeOther((ticket is null ? DeskPaths.Blocked : DeskPaths.Ticket(ticket.Ticket.Id)) + "?done=" + done);
    }

    private static async Task<IResult> TicketPageAsync(
        string id, DeskTexts t, DeskSession session, TicketStore store, ContactBlocks blocks, TimeProvider time, DeskNotice? notice, string? typedReply, int status,
        CancellationToken cancellationToken)
    {
        var whole = id.Length is > 0 and <= 64 ? await store.GetWholeAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (whole is null)
        {
            return Page(StatusCodes.Status404NotFound, DeskPages.Message(t, session, t["NotFound.Title"], t["NotFound.Text"]));
        }

        var contact = whole.Stored.Ticket.Contact;
        var blocked = await blocks.IsBlockedAsync(contact.Channel, contact.Id, cancellationToken).ConfigureAwait(false);
        return Page(status, DeskPages.Ticket(t, session, whole, time.GetUtcNow(), notice, typedReply, blocked));
    }

    /// <summary>The session of a post and its form, or the answer instead: 401 and the sign-in form without a session, 403 without its form token.</summary>
    internal static async Task<(DeskSession? Session, IResult? Refusal, DeskForm? Form)> PostedFormAsync(
        HttpContext http, DeskSignIn signIn, DeskTexts t, CancellationToken cancellationToken)
    {
        if (await signIn.CurrentAsync(http, cancellationToken).ConfigureAwait(false) is not { } session)
        {
            // A post with no session behind it (it ended, or it never was): a 401 with the sign-in form, nothing read or changed.
            return (null, Page(StatusCodes.Status401Unauthorized, DeskPages.SignIn(t, signIn.SignInFormToken(http), null, t["SignIn.SessionEnded"])), null);
        }

        var (form, status) = await DeskForm.ReadAsync(http, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return (null, Unreadable(t, session, status), null);
        }

        if (!DeskSignIn.FormTokenMatches(session, form[DeskSignIn.FormTokenField]))
        {
            return (null, Page(StatusCodes.Status403Forbidden, DeskPages.Message(t, session, t["Forbidden.Title"], t["Forbidden.Text"])), null);
        }

        return (session, null, form);
    }

    private static async Task<(DeskSession? Session, IResult? Refusal)> PostingSessionAsync(HttpContext http, DeskSignIn signIn, CancellationToken cancellationToken)
    {
        var (session, refusal, _) = await PostedFormAsync(http, signIn, Texts(http, signIn), cancellationToken).ConfigureAwait(false);
        return (session, refusal);
    }

    private static HtmlPage Unreadable(DeskTexts t, DeskSession? session, int status) => Page(
        status,
        DeskPages.Message(t, session, t["Unreadable.Title"], status == StatusCodes.Status413PayloadTooLarge ? t["Unreadable.TooLarge"] : t["Unreadable.Text"]));

    /// <summary>The desk's language: <c>?lang=</c> (remembered in a cookie), else the cookie, else the browser's first the desk speaks, else English.</summary>
    internal static DeskTexts Texts(HttpContext http, DeskSignIn signIn)
    {
        var asked = http.Request.Query["lang"].ToString();
        if (asked.Length is > 0 and <= 35 && DeskTexts.Speaks(asked))
        {
            var texts = DeskTexts.For(asked);
            signIn.SetLanguage(http, texts.Language);
            return texts;
        }

        if (http.Request.Cookies[DeskSignIn.LanguageCookie] is { Length: > 0 and <= 35 } remembered && DeskTexts.Speaks(remembered))
        {
            return DeskTexts.For(remembered);
        }

        var browser = http.Request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not <= 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value)
            .FirstOrDefault(DeskTexts.Speaks);
        return DeskTexts.For(browser);
    }

    internal static HtmlPage Page(int status, string html) => new(status, html);

    /// <summary>What <c>?done=</c> says was done (after a post's 303), when the desk has words for it.</summary>
    private static DeskNotice? DoneNotice(HttpContext http, DeskTexts t) =>
        http.Request.Query["done"].ToString() is { Length: > 0 and <= 32 } done && t["Done." + done] is var text && text != "Done." + done
            ? new DeskNotice(text, Problem: false)
            : null;

    /// <summary>
    /// What an agent acts on, as the page showed it: the status, urgency and category, the customer's messages and the
    /// agents' replies. A form carries it beside the ETag, so that a write held up by a change of nothing an agent acts on
    /// (an automatic message sent, an SLA warning noted) goes ahead, and any other change is a conflict.
    /// </summary>
    internal static string Seen(WholeTicket whole)
    {
        var ticket = whole.Stored.Ticket;
        var inbound = whole.Messages.Count(m => m.Direction == MessageDirection.Inbound);
        var replies = whole.Outbound.Count(o => o.Kind == OutboundKinds.Reply);
        return string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"{ticket.Status.ToName()}|{ticket.Urgency.ToName()}|{ticket.Category.ToName()}|{inbound}|{replies}");
    }
}
