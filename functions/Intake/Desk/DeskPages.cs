using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;
using static Intake.Web.Pages.PageLayout;

namespace Intake.Desk;

/// <summary>What the queue is filtered by, as the filter form and the paging links carry it; <see cref="Status"/> <c>active</c> is new, open and waiting.</summary>
public sealed record QueueFilter(string Status, string? Urgency, string? Channel, string? Category, string? Language, string? Page)
{
    public const string Active = "active";
    public const string All = "all";

    /// <summary>The query string of this filter (without the page unless <paramref name="page"/> is given), starting with <c>?</c>.</summary>
    public string Query(string? page = null)
    {
        var parts = new List<string> { "status=" + Uri.EscapeDataString(Status) };
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("urgency", Urgency);
        Add("channel", Channel);
        Add("category", Category);
        Add("language", Language);
        Add("page", page);
        return "?" + string.Join('&', parts);
    }
}

/// <summary>A row of the queue: the ticket and what it says first (its subject, else its first message's first line).</summary>
public sealed record QueueRow(Ticket Ticket, string? FirstLine);

/// <summary>What a ticket page says above the ticket: a done action, a conflict, a refusal; <see cref="Problem"/> marks it as one.</summary>
public sealed record DeskNotice(string Text, bool Problem);

/// <summary>The desk's pages: sign-in, the queue, a ticket. HTML built from encoded values only; no script.</summary>
internal static partial class DeskPages
{
    public static readonly string[] Channels =
        [ChannelNames.Email, ChannelNames.Web, ChannelNames.Telegram, ChannelNames.Messenger, ChannelNames.Instagram, ChannelNames.WhatsApp, ChannelNames.X];

    public static string SignIn(DeskTexts t, string formToken, string? name, string? problem) => DeskLayout.Bare(t, t["SignIn.Title"], $"""
        <h1>{E(t["SignIn.Title"])}</h1>
        {(problem is null ? "" : $"""<div class="notice problem" role="alert"><p>{E(problem)}</p></div>""")}
        <form method="post" action="{DeskPaths.SignIn}">
        <input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(formToken)}">
        <label for="name">{E(t["SignIn.Name"])}</label>
        <input type="text" id="name" name="name" autocomplete="username" required maxlength="{DeskSignIn.MaxNameLength}" value="{E(name)}">
        <label for="key">{E(t["SignIn.Key"])}</label>
        <input type="password" id="key" name="key" autocomplete="current-password" required maxlength="{DeskSignIn.MaxKeyLength}">
        <button type="submit">{E(t["SignIn.Submit"])}</button>
        </form>
        <p class="hint">{E(t["SignIn.Hint"])}</p>
        """, DeskPaths.SignIn);

    /// <summary>A short page that says what went wrong (not found, too large, an expired form).</summary>
    public static string Message(DeskTexts t, DeskSession? session, string title, string text)
    {
        var body = $"""
            <h1>{E(title)}</h1>
            <div class="notice problem" role="alert"><p>{E(text)}</p></div>
            <p><a href="{DeskPaths.Queue}">{E(t["Queue.Back"])}</a></p>
            """;
        return session is null ? DeskLayout.Bare(t, title, body, DeskPaths.Queue) : DeskLayout.Render(t, title, "", session, body, DeskPaths.Queue);
    }

    public static string Queue(DeskTexts t, DeskSession session, QueueFilter filter, IReadOnlyList<QueueRow> rows, string? nextPage, DateTimeOffset now)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <h1>{E(t["Queue.Title"])}</h1>
            <form method="get" action="{DeskPaths.Queue}" class="filters" aria-label="{E(t["Queue.Filters"])}">
            {Select(t, "status", t["Queue.Status"], filter.Status, [(QueueFilter.Active, t["Status.active"]), .. Enum.GetValues<TicketStatus>().Select(s => (s.ToName(), t["Status." + s.ToName()])), (QueueFilter.All, t["Status.all"])], allowAny: false)}
            {Select(t, "urgency", t["Queue.Urgency"], filter.Urgency, [.. Enum.GetValues<Urgency>().Reverse().Select(u => (u.ToName(), t["Urgency." + u.ToName()]))])}
            {Select(t, "channel", t["Queue.Channel"], filter.Channel, [.. Channels.Select(c => (c, t["Channel." + c]))])}
            {Select(t, "category", t["Queue.Category"], filter.Category, [.. Enum.GetValues<TicketCategory>().Select(c => (c.ToName(), t["Category." + c.ToName()]))])}
            {Select(t, "language", t["Queue.Language"], filter.Language, [.. CustomerTexts.Languages.Select(l => (l, l))])}
            <button type="submit">{E(t["Queue.Apply"])}</button>
            </form>
            """);
        if (rows.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p role="status">{E(t["Queue.Empty"])}</p>""");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <table>
                <caption>{E(t["Queue.Caption"])}</caption>
                <thead><tr><th scope="col">{E(t["Queue.Reference"])}</th><th scope="col">{E(t["Queue.Subject"])}</th><th scope="col">{E(t["Queue.Channel"])}</th><th scope="col">{E(t["Queue.Language"])}</th><th scope="col">{E(t["Queue.Category"])}</th><th scope="col">{E(t["Queue.Urgency"])}</th><th scope="col">{E(t["Queue.Sla"])}</th><th scope="col">{E(t["Queue.Flags"])}</th></tr></thead>
                <tbody>

                """);
            foreach (var row in rows)
            {
                var ticket = row.Ticket;
                var countdown = SlaCountdown.Of(ticket, now);
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><th scope="row"><a href="{E(DeskPaths.Ticket(ticket.Id))}">{E(ticket.Reference)}</a></th><td>{E(Shorten(row.FirstLine, 90))}</td><td>{E(t["Channel." + ticket.Channel])}</td><td>{E(ticket.Language)}</td><td>{E(t["Category." + ticket.Category.ToName()])}</td><td class="urgency-{E(ticket.Urgency.ToName())}">{E(t["Urgency." + ticket.Urgency.ToName()])}</td><td><span class="{countdown.CssClass}">{E(countdown.Describe(t))}</span></td><td>{Flags(t, ticket)}</td></tr>

                    """);
            }

            body.Append("</tbody>\n</table>\n");
        }

        body.Append("""<nav class="paging" aria-label=""").Append(E(t["Queue.Paging"])).Append("\">");
        if (filter.Page is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<a href="{E(DeskPaths.Queue + filter.Query())}">{E(t["Queue.FirstPage"])}</a>""");
        }

        if (nextPage is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<a href="{E(DeskPaths.Queue + filter.Query(nextPage))}" rel="next">{E(t["Queue.NextPage"])}</a>""");
        }

        body.Append("</nav>\n");
        return DeskLayout.Render(t, t["Queue.Title"], DeskPaths.Queue, session, body.ToString(), DeskPaths.Queue + filter.Query(filter.Page));
    }

    /// <summary>
    /// A ticket: what it is, its SLA, entities, thread, outbound messages and audit trail, and the forms that change it,
    /// each carrying the ticket's ETag as read (<paramref name="etag"/>), so that a change made meanwhile is a conflict.
    /// <paramref name="typedReply"/> is put back in the reply box (after a conflict or a refusal).
    /// </summary>
    public static string Ticket(DeskTexts t, DeskSession session, WholeTicket whole, DateTimeOffset now, DeskNotice? notice, string? typedReply, bool blocked)
    {
        var ticket = whole.Stored.Ticket;
        var etag = whole.Stored.ETag.ToString();
        var title = ticket.Subject is { Length: > 0 } subject ? $"{ticket.Reference} · {Shorten(subject, 80)}" : ticket.Reference;
        var countdown = SlaCountdown.Of(ticket, now);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><a href="{DeskPaths.Queue}">{E(t["Queue.Back"])}</a></p>
            <h1>{E(title)}</h1>

            """);
        if (notice is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<div class="notice{(notice.Problem ? " problem" : "")}" role="{(notice.Problem ? "alert" : "status")}"><p>{E(notice.Text)}</p></div>""").Append('\n');
        }

        body.Append("""<div class="columns"><div>""").Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"""
            <dl>
            <dt>{E(t["Ticket.Status"])}</dt><dd>{E(t["Status." + ticket.Status.ToName()])}</dd>
            <dt>{E(t["Queue.Urgency"])}</dt><dd class="urgency-{E(ticket.Urgency.ToName())}">{E(t["Urgency." + ticket.Urgency.ToName()])}</dd>
            <dt>{E(t["Queue.Category"])}</dt><dd>{E(t["Category." + ticket.Category.ToName()])}</dd>
            <dt>{E(t["Queue.Channel"])}</dt><dd>{E(t["Channel." + ticket.Channel])}</dd>
            <dt>{E(t["Queue.Language"])}</dt><dd>{E(ticket.Language)}</dd>
            <dt>{E(t["Ticket.Contact"])}</dt><dd>{Contact(t, ticket.Contact, blocked)}</dd>
            <dt>{E(t["Ticket.Created"])}</dt><dd>{Time(ticket.CreatedAt)}</dd>
            <dt>{E(t["Queue.Sla"])}</dt><dd><span class="{countdown.CssClass}">{E(countdown.Describe(t))}</span></dd>
            <dt>{E(t["Queue.Flags"])}</dt><dd>{Flags(t, ticket)}</dd>
            {(ticket.LinkedTicketId is { } linked ? $"""<dt>{E(t["Ticket.Linked"])}</dt><dd><a href="{E(DeskPaths.Ticket(linked))}">{E(TicketIds.TryGetReference(linked, out var reference) ? reference : linked)}</a></dd>""" : "")}
            </dl>

            """);
        body.Append(Thread(t, whole.Messages));
        body.Append(Actions(t, session, ticket, etag, DeskEndpoints.Seen(whole), typedReply));
        body.Append("</div><div>\n");
        body.Append(Entities(t, ticket.Entities));
        body.Append(Sla(t, ticket, now));
        body.Append(Outbound(t, whole.Outbound));
        body.Append(Audit(t, whole.Audit));
        body.Append(BlockForm(t, session, ticket, blocked));
        body.Append("</div></div>\n");
        return DeskLayout.Render(t, title, "", session, body.ToString(), DeskPaths.Ticket(ticket.Id));
    }

    private static string Contact(DeskTexts t, Tickets.Contact contact, bool blocked)
    {
        var parts = new List<string>();
        if (contact.Name is { Length: > 0 } name)
        {
            parts.Add(E(name));
        }

        parts.Add($"""<code class="copy">{E(contact.Id)}</code>""");
        if (contact.Email is { Length: > 0 } email && !string.Equals(email, contact.Id, StringComparison.OrdinalIgnoreCase))
        {
            parts.Add($"""<code class="copy">{E(email)}</code>""");
        }

        if (!contact.Verified)
        {
            parts.Add($"""<span class="flag alarm">{E(t["Flag.unverified_contact"])}</span>""");
        }

        if (blocked)
        {
            parts.Add($"""<span class="flag alarm">{E(t["Blocked.Marker"])}</span>""");
        }

        return string.Join(" ", parts);
    }

    private static string Thread(DeskTexts t, IReadOnlyList<TicketMessage> messages)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""<h2>{E(t["Ticket.Thread"])}</h2>""").Append("\n<ol class=\"thread\">\n");
        foreach (var message in messages.OrderBy(m => m.Sequence))
        {
            var inbound = message.Direction == MessageDirection.Inbound;
            html.Append(CultureInfo.InvariantCulture, $"""
                <li class="msg {(inbound ? "inbound" : "outbound")}"><h3>{E(inbound ? t["Thread.Customer"] : t["Thread.Agent"])} · {Time(message.At)}{(message.Details?.EditOf is not null ? " · " + E(t["Thread.Edit"]) : "")}</h3>
                <div class="text">{WithMarkers(t, message.Text)}</div>
                """);
            if (message.Details is { Attachments.Count: > 0 } details)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<p>{E(t["Thread.Attachments"])}</p><ul>""");
                foreach (var attachment in details.Attachments)
                {
                    var state = attachment.Refused is { } why ? t.Format("Thread.AttachmentRefused", why) : t["Thread.AttachmentKept"];
                    html.Append(CultureInfo.InvariantCulture, $"""<li>{E(attachment.Name)} ({E(attachment.ContentType)}, {attachment.Size.ToString(CultureInfo.InvariantCulture)} B) — {E(state)}</li>""");
                }

                html.Append("</ul>");
            }

            html.Append("</li>\n");
        }

        return html.Append("</ol>\n").ToString();
    }

    /// <summary>
    /// The text with what Intake put in place of a secret (<c>[REDACTED:mnemonic]</c>), of a link's token or of a cut
    /// marked as such, so that an agent never mistakes a marker for what the customer wrote.
    /// </summary>
    internal static string WithMarkers(DeskTexts t, string text)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match match in Markers().Matches(text))
        {
            html.Append(E(text[at..match.Index]));
            var kind = match.Groups["kind"].Success ? match.Groups["kind"].Value : null;
            var label = kind is not null ? t.Format("Redacted.Secret", t["Secret." + kind]) : match.Value == LinkTokens.Placeholder ? t["Redacted.LinkToken"] : t["Redacted.Cut"];
            html.Append(CultureInfo.InvariantCulture, $"""<mark class="redacted" title="{E(label)}">{E(match.Value)}<span class="hint"> ({E(label)})</span></mark>""");
            at = match.Index + match.Length;
        }

        return html.Append(E(text[at..])).ToString();
    }

    [GeneratedRegex(@"\[REDACTED:(?<kind>[a-z_]{1,20})\]|\[link token\]|\[… cut: [^\]\n]{1,80}\]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Markers();

    private static string Actions(DeskTexts t, DeskSession session, Ticket ticket, string etag, string seen, string? typedReply)
    {
        string Hidden() => $"""<input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(session.FormToken)}"><input type="hidden" name="etag" value="{E(etag)}"><input type="hidden" name="seen" value="{E(seen)}">""";
        string Button(string action, string label, string css = "secondary", string? field = null, string? value = null) => $"""
            <form method="post" action="{E(DeskPaths.Ticket(ticket.Id) + "/" + action)}">{Hidden()}{(field is null ? "" : $"""<input type="hidden" name="{field}" value="{E(value)}">""")}<button type="submit" class="{css}">{E(label)}</button></form>
            """;

        // A web-form ticket is answered by email (the form has no way back); every other channel on itself.
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2 id="reply-heading">{E(t["Ticket.Reply"])}</h2>
            <form method="post" action="{E(DeskPaths.Ticket(ticket.Id) + "/reply")}" aria-labelledby="reply-heading">
            {Hidden()}
            <label for="reply">{E(t.Format("Ticket.ReplyLabel", t["Channel." + (ticket.Channel == ChannelNames.Web ? ChannelNames.Email : ticket.Channel)]))}</label>
            <textarea id="reply" name="text" maxlength="{Agents.AgentRequests.MaxTextLength}" required>{E(typedReply)}</textarea>
            <button type="submit">{E(t["Ticket.Send"])}</button>
            </form>
            <h2>{E(t["Ticket.Actions"])}</h2>
            <div class="actions">

            """);
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            html.Append(Button("reopen", t["Action.Reopen"]));
        }
        else
        {
            html.Append(Button("resolve", t["Action.Resolve"], "primary"));
            html.Append(ticket.Status == TicketStatus.WaitingOnCustomer
                ? Button("status", t["Action.Open"], field: "status", value: TicketStatus.Open.ToName())
                : Button("status", t["Action.Waiting"], field: "status", value: TicketStatus.WaitingOnCustomer.ToName()));
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            </div>
            <form method="post" action="{E(DeskPaths.Ticket(ticket.Id) + "/triage")}" class="filters">
            {Hidden()}
            {Select(t, "urgency", t["Queue.Urgency"], ticket.Urgency.ToName(), [.. Enum.GetValues<Urgency>().Reverse().Select(u => (u.ToName(), t["Urgency." + u.ToName()]))], allowAny: false, id: "change-urgency")}
            {Select(t, "category", t["Queue.Category"], ticket.Category.ToName(), [.. Enum.GetValues<TicketCategory>().Select(c => (c.ToName(), t["Category." + c.ToName()]))], allowAny: false, id: "change-category")}
            <button type="submit" class="secondary">{E(t["Action.Change"])}</button>
            </form>

            """);
        return html.ToString();
    }

    private static string BlockForm(DeskTexts t, DeskSession session, Ticket ticket, bool blocked) => blocked
        ? $"""
            <h2>{E(t["Blocked.Title"])}</h2>
            <p>{E(t["Blocked.IsBlocked"])}</p>
            {BlockedPages.UnblockForm(t, session, ticket.Contact.Channel, ticket.Contact.Id, ticket.Id)}

            """
        : $"""
            <h2>{E(t["Blocked.BlockTitle"])}</h2>
            <form method="post" action="{DeskPaths.Blocked}"><input type="hidden" name="{DeskSignIn.FormTokenField}" value="{E(session.FormToken)}"><input type="hidden" name="channel" value="{E(ticket.Contact.Channel)}"><input type="hidden" name="id" value="{E(ticket.Contact.Id)}"><input type="hidden" name="ticket" value="{E(ticket.Id)}">
            <label for="block-reason">{E(t["Blocked.Reason"])}</label>
            <input type="text" id="block-reason" name="reason" maxlength="{ContactBlocks.MaxReasonLength}">
            <p class="hint">{E(t["Blocked.Explain"])}</p>
            <button type="submit" class="danger">{E(t["Blocked.Block"])}</button>
            </form>

            """;

    private static string Entities(DeskTexts t, TriageEntities entities)
    {
        var rows = new StringBuilder();
        void Add(string kind, IEnumerable<(string Value, string? Network)> values)
        {
            foreach (var (value, network) in values)
            {
                rows.Append(CultureInfo.InvariantCulture, $"""<tr><th scope="row">{E(t["Entity." + kind])}</th><td><code class="copy">{E(value)}</code></td><td>{E(network is null ? "" : t["Network." + network])}</td></tr>""").Append('\n');
            }
        }

        Add("tx", entities.TxHashes.Select(h => (h, (string?)EntityNetworks.OfTransaction(h))));
        Add("address", entities.Addresses.Select(a => (a, (string?)EntityNetworks.OfAddress(a))));
        Add("network", entities.Networks.Select(n => (n, (string?)null)));
        Add("asset", entities.Assets.Select(a => (a, (string?)null)));
        Add("amount", entities.Amounts.Select(a => (a, (string?)null)));
        Add("order", entities.OrderIds.Select(o => (o, (string?)null)));
        return rows.Length == 0
            ? $"""<h2>{E(t["Ticket.Entities"])}</h2><p>{E(t["Ticket.NoEntities"])}</p>"""
            : $"""
                <h2>{E(t["Ticket.Entities"])}</h2>
                <table><caption class="hint">{E(t["Ticket.EntitiesHint"])}</caption>
                <thead><tr><th scope="col">{E(t["Entities.KindColumn"])}</th><th scope="col">{E(t["Entities.ValueColumn"])}</th><th scope="col">{E(t["Entities.NetworkColumn"])}</th></tr></thead>
                <tbody>
                {rows}</tbody></table>

                """;
    }

    private static string Sla(DeskTexts t, Ticket ticket, DateTimeOffset now)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>{E(t["Ticket.SlaTimeline"])}</h2>
            <table><thead><tr><th scope="col">{E(t["Sla.Target"])}</th><th scope="col">{E(t["Sla.DueAt"])}</th><th scope="col">{E(t["Sla.WarningAt"])}</th><th scope="col">{E(t["Sla.DoneAt"])}</th></tr></thead>
            <tbody>
            <tr><th scope="row">{E(t["Sla.FirstResponse"])}</th><td>{Time(ticket.FirstResponseDueAt)}</td><td>{Time(ticket.FirstResponseWarningAt)}</td><td>{Time(ticket.FirstRespondedAt)}</td></tr>
            <tr><th scope="row">{E(t["Sla.Resolution"])}</th><td>{Time(ticket.ResolutionDueAt)}</td><td>{Time(ticket.ResolutionWarningAt)}</td><td>{Time(ticket.ResolvedAt)}</td></tr>
            </tbody></table>

            """);
        if (ticket.PausedAt is { } paused)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p>{E(t.Format("Sla.PausedSince", Time(paused), SlaCountdown.Duration(t, now - paused)))}</p>""").Append('\n');
        }

        if (ticket.SlaEvents.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<table><caption>{E(t["Sla.Events"])}</caption><thead><tr><th scope="col">{E(t["Audit.At"])}</th><th scope="col">{E(t["Sla.Target"])}</th><th scope="col">{E(t["Sla.Event"])}</th><th scope="col">{E(t["Queue.Urgency"])}</th></tr></thead><tbody>""");
            foreach (var e in ticket.SlaEvents.OrderBy(e => e.At))
            {
                var target = e.Target == SlaCountdown.FirstResponse ? t["Sla.FirstResponse"] : t["Sla.Resolution"];
                html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{Time(e.At)}</td><td>{E(target)}</td><td class="{(e.Kind == "breached" ? "sla-breach" : e.Kind == "warning" ? "sla-warn" : "sla-ok")}">{E(t["SlaEvent." + e.Kind])}</td><td>{E(t["Urgency." + e.Urgency])}</td></tr>""");
            }

            html.Append("</tbody></table>\n");
        }

        return html.ToString();
    }

    private static string Outbound(DeskTexts t, IReadOnlyList<OutboundRecord> outbound)
    {
        if (outbound.Count == 0)
        {
            return $"""<h2>{E(t["Ticket.Outbound"])}</h2><p>{E(t["Ticket.NoOutbound"])}</p>""";
        }

        var rows = string.Concat(outbound.OrderBy(o => o.At).Select(o =>
            $"""<tr><td>{Time(o.At)}</td><td>{E(o.Kind)}</td><td>{E(t["Channel." + o.Channel])}</td><td>{E(o.Status.ToName())}</td></tr>"""));
        return $"""
            <h2>{E(t["Ticket.Outbound"])}</h2>
            <table><thead><tr><th scope="col">{E(t["Audit.At"])}</th><th scope="col">{E(t["Outbound.Kind"])}</th><th scope="col">{E(t["Queue.Channel"])}</th><th scope="col">{E(t["Outbound.Status"])}</th></tr></thead>
            <tbody>{rows}</tbody></table>

            """;
    }

    private static string Audit(DeskTexts t, IReadOnlyList<AuditEntry> audit)
    {
        if (audit.Count == 0)
        {
            return $"""<h2>{E(t["Ticket.Audit"])}</h2><p>{E(t["Ticket.NoAudit"])}</p>""";
        }

        var rows = string.Concat(audit.OrderBy(a => a.Sequence).Select(a =>
            $"""<tr><td>{Time(a.At)}</td><td>{E(a.Agent)}</td><td>{E(a.Action)}</td><td>{E(a.Detail)}</td></tr>"""));
        return $"""
            <h2>{E(t["Ticket.Audit"])}</h2>
            <table><thead><tr><th scope="col">{E(t["Audit.At"])}</th><th scope="col">{E(t["Audit.Who"])}</th><th scope="col">{E(t["Audit.What"])}</th><th scope="col">{E(t["Audit.Detail"])}</th></tr></thead>
            <tbody>{rows}</tbody></table>

            """;
    }

    /// <summary>The flags an agent must see at a glance: a secret exposed, phishing, a low survey score, an unproven contact.</summary>
    internal static string Flags(DeskTexts t, Ticket ticket)
    {
        var flags = ticket.Contact.Verified ? ticket.Flags : [.. ticket.Flags, ContactVerification.UnverifiedFlag];
        return string.Join(" ", flags.Select(flag =>
        {
            var alarm = flag is TriageFlags.SecretExposed or TriageFlags.PhishingVictim or AuditActions.SurveyFollowUp or ContactVerification.UnverifiedFlag;
            var label = t["Flag." + flag];
            return $"""<span class="flag{(alarm ? " alarm" : "")}">{E(label == "Flag." + flag ? flag : label)}</span>""";
        }));
    }

    internal static string Select(DeskTexts t, string name, string label, string? selected, IReadOnlyList<(string Value, string Label)> options, bool allowAny = true, string? id = null)
    {
        id ??= "filter-" + name;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""<div><label for="{id}">{E(label)}</label><select id="{id}" name="{name}">""");
        if (allowAny)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<option value="">{E(t["Queue.Any"])}</option>""");
        }

        foreach (var (value, text) in options)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<option value="{E(value)}"{(value == selected ? " selected" : "")}>{E(text)}</option>""");
        }

        return html.Append("</select></div>").ToString();
    }

    internal static string Time(DateTimeOffset? at) =>
        at is { } value
            ? $"""<time datetime="{value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}">{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>"""
            : "—";

    /// <summary>A time as plain text, for a sentence.</summary>
    internal static string TimeText(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    internal static string? Shorten(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }

        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        var first = (end >= 0 ? line[..end] : line).Trim().ToString();
        return first.Length <= max ? first : string.Concat(first.AsSpan(0, max - 1), "…");
    }
}
