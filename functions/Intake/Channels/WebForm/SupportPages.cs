using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Intake.Tickets;
using Intake.Web.Pages;
using static Intake.Web.Pages.PageLayout;

namespace Intake.Channels.WebForm;

/// <summary>A ticket as its status page shows it: the thread is already redacted (and holds no link's token).</summary>
internal sealed record StatusView(Ticket Ticket, IReadOnlyList<TicketMessage> Messages, OutboundRecord? Acknowledgement, string Token);

/// <summary>
/// The support pages as HTML: the form, a ticket's status, the verify link's button, and short notices. Plain server-rendered markup that needs
/// no script, in the pages' shared layout; every value goes through <see cref="PageLayout.E"/>. Pure functions of their arguments.
/// </summary>
internal static class SupportPages
{
    private static readonly string[] FormFields = ["message", "name", "email", "subject", "reply_language", "reference"];

    public static string Form(PageTexts t, string action, WebFormSubmission? values, IReadOnlyDictionary<string, string[]>? errors)
    {
        ArgumentNullException.ThrowIfNull(t);
        errors ??= new Dictionary<string, string[]>();
        var body = new StringBuilder();
        body.Append(LanguageSwitch(t, other => "?lang=" + other.Code));
        body.Append("<h1>").Append(E(t.FormTitle)).Append("</h1>\n");
        ErrorSummary(body, t, errors);
        body.Append("<p>").Append(E(t.FormIntro)).Append("</p>\n");
        body.Append("<p class=\"warn\"><strong>").Append(E(t.NeverAsk)).Append("</strong></p>\n");

        OpenForm(body, action, t, values?.Token, values?.Submission);
        TextArea(body, t, "message", t.MessageLabel, t.MessageHint, values?.Message, errors);
        Input(body, t, "name", t.NameLabel, null, "text", "name", 200, values?.Name, errors);
        Input(body, t, "email", t.EmailLabel, t.EmailHint, "email", "email", 254, values?.Email, errors);
        Input(body, t, "subject", t.SubjectLabel, null, "text", "off", 200, values?.Subject, errors);
        ReplyLanguage(body, t, values?.ReplyLanguage, errors);
        body.Append("<fieldset>\n<legend>").Append(E(t.ExistingTicket)).Append("</legend>\n");
        Input(body, t, "reference", t.ReferenceLabel, t.ReferenceHint, "text", "off", 20, values?.Reference, errors);
        body.Append("</fieldset>\n");
        CloseForm(body, t);
        return Layout(t, errors.Count > 0 ? t.ErrorTitlePrefix + t.FormTitle : t.FormTitle, body.ToString());
    }

    /// <summary>The status page; with <paramref name="errors"/>, the follow-up box's errors, summed up first and focused.</summary>
    public static string Status(PageTexts t, string action, StatusView view, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(view);
        errors ??= new Dictionary<string, string[]>();
        var ticket = view.Ticket;
        var body = new StringBuilder();
        body.Append(LanguageSwitch(t, other => $"?token={Uri.EscapeDataString(view.Token)}&lang={other.Code}"));
        body.Append("<h1>").Append(E(t.StatusTitle(ticket.Reference))).Append("</h1>\n");
        ErrorSummary(body, t, errors);
        body.Append("<dl>\n");
        Term(body, t.ReferenceTerm, ticket.Reference);
        Term(body, t.StatusTerm, t.Status(ticket.Status));
        Term(body, t.CategoryTerm, t.Category(ticket.Category));
        body.Append("<dt>").Append(E(t.CreatedTerm)).Append("</dt><dd>").Append(Time(ticket.CreatedAt)).Append("</dd>\n");
        Term(body, t.AcknowledgementTerm, Delivery(t, view.Acknowledgement));
        body.Append("</dl>\n");
        body.Append("<p class=\"warn\"><strong>").Append(E(t.NeverAsk)).Append("</strong> ").Append(E(t.KeepLinkPrivate)).Append("</p>\n");

        // Until the owner of the address proves it, whoever typed it into the form may be reading: our answers went to
        // the address, and only there.
        var verified = ticket.Contact.Verified;
        if (!verified)
        {
            body.Append("<p>").Append(E(t.UnverifiedNote)).Append("</p>\n");
        }

        body.Append("<h2>").Append(E(t.MessagesHeading)).Append("</h2>\n<ol class=\"thread\">\n");
        foreach (var message in view.Messages.OrderBy(m => m.Sequence))
        {
            var inbound = message.Direction == MessageDirection.Inbound;
            body.Append(inbound ? "<li class=\"msg\">" : "<li class=\"msg out\">")
                .Append("<h3>").Append(E(inbound ? t.FromCustomer : t.FromSupport)).Append(E(t.Comma)).Append(Time(message.At)).Append("</h3>")
                .Append("<p>").Append(E(inbound || verified ? message.Text : t.RepliedByEmail)).Append("</p></li>\n");
        }

        body.Append("</ol>\n");
        body.Append("<h2>").Append(E(t.FollowUpHeading)).Append("</h2>\n");
        OpenForm(body, action, t, view.Token, null);
        body.Append("<input type=\"hidden\" name=\"reference\" value=\"").Append(E(ticket.Reference)).Append("\">\n");
        TextArea(body, t, "message", t.FollowUpLabel, null, null, errors);
        CloseForm(body, t);
        return Layout(t, (errors.Count > 0 ? t.ErrorTitlePrefix : "") + t.StatusTitle(ticket.Reference), body.ToString());
    }

    /// <summary>The verify link's page: what confirming means, and one button that posts to <paramref name="action"/>.</summary>
    public static string Verify(PageTexts t, string reference, string action)
    {
        ArgumentNullException.ThrowIfNull(t);
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(t.VerifyTitle)).Append("</h1>\n<p>").Append(E(t.VerifyText(reference))).Append("</p>\n");
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" accept-charset=\"UTF-8\">\n");
        body.Append("<button type=\"submit\">").Append(E(t.VerifyButton)).Append("</button>\n</form>\n");
        return Layout(t, t.VerifyTitle, body.ToString());
    }

    /// <summary>A short page: a heading, one paragraph, and the way back to the form.</summary>
    public static string Notice(PageTexts t, string title, string text, string formUrl)
    {
        ArgumentNullException.ThrowIfNull(t);
        var body = new StringBuilder();
        body.Append("<h1>").Append(E(title)).Append("</h1>\n<p>").Append(E(text)).Append("</p>\n");
        body.Append("<p><a href=\"").Append(E(formUrl)).Append("\">").Append(E(t.BackToForm)).Append("</a></p>\n");
        return Layout(t, title, body.ToString());
    }

    private static string Layout(PageTexts t, string title, string body) => PageLayout.Render(t.Code, title, body);

    private static string LanguageSwitch(PageTexts current, Func<PageTexts, string> href)
    {
        var nav = new StringBuilder();
        nav.Append("<nav aria-label=\"").Append(E(current.LanguageSwitch)).Append("\"><ul>");
        foreach (var other in PageTexts.All)
        {
            nav.Append("<li><a href=\"").Append(E(href(other))).Append("\" lang=\"").Append(E(other.Code))
                .Append("\" hreflang=\"").Append(E(other.Code)).Append('"')
                .Append(other == current ? " aria-current=\"page\"" : "")
                .Append('>').Append(E(other.NativeName)).Append("</a></li>");
        }

        return nav.Append("</ul></nav>\n").ToString();
    }

    private static void ErrorSummary(StringBuilder body, PageTexts t, IReadOnlyDictionary<string, string[]> errors)
    {
        if (errors.Count == 0)
        {
            return;
        }

        // Focused as the page loads (autofocus, no script), so that a screen reader starts at what went wrong.
        body.Append("<div class=\"errors\" role=\"alert\" aria-labelledby=\"error-summary\" tabindex=\"-1\" autofocus>\n<h2 id=\"error-summary\">")
            .Append(E(t.ErrorSummary)).Append("</h2>\n<ul>\n");
        foreach (var (field, messages) in errors.OrderBy(e => Array.IndexOf(FormFields, e.Key) is var i and >= 0 ? i : int.MaxValue))
        {
            foreach (var message in messages)
            {
                var text = t.Field(field) + ": " + t.Error(message);
                body.Append(FormFields.Contains(field)
                    ? $"<li><a href=\"#{E(field)}\">{E(text)}</a></li>\n"
                    : $"<li>{E(text)}</li>\n");
            }
        }

        body.Append("</ul>\n</div>\n");
    }

    /// <summary>
    /// The form's opening, with its language, the status token when there is one, and the submission key: new on every
    /// page, kept when the page comes back with field errors (<see cref="WebFormSubmission.Submission"/>).
    /// </summary>
    private static void OpenForm(StringBuilder body, string action, PageTexts t, string? token, string? submission)
    {
        body.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\" accept-charset=\"UTF-8\" novalidate>\n");
        body.Append("<input type=\"hidden\" name=\"language\" value=\"").Append(E(t.Code)).Append("\">\n");
        body.Append("<input type=\"hidden\" name=\"submission\" value=\"")
            .Append(E(string.IsNullOrEmpty(submission) ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : submission)).Append("\">\n");
        if (!string.IsNullOrEmpty(token))
        {
            body.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(E(token)).Append("\">\n");
        }
    }

    private static void CloseForm(StringBuilder body, PageTexts t)
    {
        // The honeypot: off-screen rather than type=hidden, which bots know to skip; out of the tab order and
        // hidden from screen readers, so that no person fills it in.
        body.Append("<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">").Append(E(t.Honeypot))
            .Append("</label><input type=\"text\" id=\"website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>\n");
        body.Append("<button type=\"submit\">").Append(E(t.Send)).Append("</button>\n</form>\n");
    }

    private static void TextArea(StringBuilder body, PageTexts t, string name, string label, string? hint, string? value, IReadOnlyDictionary<string, string[]> errors)
    {
        Label(body, t, name, label, hint, required: true, errors);
        body.Append("<textarea id=\"").Append(name).Append("\" name=\"").Append(name).Append("\" rows=\"10\" required aria-required=\"true\" maxlength=\"")
            .Append(WebFormSubmission.MaxMessageLength.ToString(CultureInfo.InvariantCulture)).Append('"');
        Described(body, name, hint, errors);
        // A line break straight after the start tag is dropped by HTML parsers: this one, not the customer's.
        body.Append(">\n").Append(E(value)).Append("</textarea>\n");
    }

    private static void Input(
        StringBuilder body, PageTexts t, string name, string label, string? hint, string type, string autocomplete, int maxLength, string? value,
        IReadOnlyDictionary<string, string[]> errors)
    {
        Label(body, t, name, label, hint, required: false, errors);
        body.Append("<input type=\"").Append(type).Append("\" id=\"").Append(name).Append("\" name=\"").Append(name)
            .Append("\" autocomplete=\"").Append(autocomplete).Append("\" maxlength=\"").Append(maxLength.ToString(CultureInfo.InvariantCulture)).Append('"');
        Described(body, name, hint, errors);
        body.Append(" value=\"").Append(E(value)).Append("\">\n");
    }

    /// <summary>
    /// The language of our replies: the message's own unless the customer picks one (<see cref="WebFormSubmission.ReplyLanguage"/>),
    /// each language named in itself.
    /// </summary>
    private static void ReplyLanguage(StringBuilder body, PageTexts t, string? chosen, IReadOnlyDictionary<string, string[]> errors)
    {
        const string name = "reply_language";
        Label(body, t, name, t.ReplyLanguageLabel, null, required: false, errors);
        body.Append("<select id=\"").Append(name).Append("\" name=\"").Append(name).Append('"');
        Described(body, name, null, errors);
        body.Append(">\n<option value=\"\">").Append(E(t.ReplyLanguageAuto)).Append("</option>\n");
        foreach (var language in PageTexts.All)
        {
            body.Append("<option value=\"").Append(E(language.Code)).Append("\" lang=\"").Append(E(language.Code)).Append('"')
                .Append(language.Code == chosen ? " selected" : "").Append('>').Append(E(language.NativeName)).Append("</option>\n");
        }

        body.Append("</select>\n");
    }

    private static void Label(StringBuilder body, PageTexts t, string name, string label, string? hint, bool required, IReadOnlyDictionary<string, string[]> errors)
    {
        body.Append("<label for=\"").Append(name).Append("\">").Append(E(label))
            .Append(E(required ? t.Required : t.Optional)).Append("</label>\n");
        if (hint is not null)
        {
            body.Append("<span class=\"hint\" id=\"").Append(name).Append("-hint\">").Append(E(hint)).Append("</span>\n");
        }

        if (errors.TryGetValue(name, out var messages))
        {
            body.Append("<span class=\"error\" id=\"").Append(name).Append("-error\">")
                .Append(E(string.Join(' ', messages.Select(t.Error)))).Append("</span>\n");
        }
    }

    private static void Described(StringBuilder body, string name, string? hint, IReadOnlyDictionary<string, string[]> errors)
    {
        var invalid = errors.ContainsKey(name);
        if (hint is not null || invalid)
        {
            var ids = (hint is null ? "" : name + "-hint ") + (invalid ? name + "-error" : "");
            body.Append(" aria-describedby=\"").Append(ids.TrimEnd()).Append('"');
        }

        if (invalid)
        {
            body.Append(" aria-invalid=\"true\"");
        }
    }

    private static void Term(StringBuilder body, string term, string value) =>
        body.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static string Delivery(PageTexts t, OutboundRecord? acknowledgement) => acknowledgement switch
    {
        null => t.NotYetSent,
        { Channel: ChannelNames.Email, Status: OutboundStatus.Pending or OutboundStatus.Sent } => $"{t.Delivery(acknowledgement.Status)} ({t.ByEmail})",
        _ => t.Delivery(acknowledgement.Status),
    };

    private static string Time(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return $"<time datetime=\"{utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\">"
            + $"{utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>";
    }
}
