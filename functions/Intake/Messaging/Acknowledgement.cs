using System.Text;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Localization;

namespace Intake.Messaging;

/// <summary>
/// The automatic first answer (DESIGN §7): the reference, the response time we commit to, what to do right now when
/// something is at stake, and the warning that support never asks for secrets, in the ticket's language
/// (<see cref="CustomerTexts"/>, keys <c>Acknowledgement.*</c>; English for a language without a file). No links but the status page, or, while the
/// contact's address is unproven, the link that proves it (the status page would show our replies to whoever typed
/// the address into the web form).
/// </summary>
public static class Acknowledgement
{
    /// <summary>
    /// The subject and text for a ticket answered on <paramref name="channel"/>: by email the customer is asked to keep
    /// the reference in the subject (it threads their reply); on a chat they simply write in the same chat. At most one
    /// of <paramref name="statusUrl"/> and <paramref name="verifyUrl"/> is given.
    /// </summary>
    /// <param name="articles">Help-center articles to offer (title and address), at most a few; none where the advice is fixed.</param>
    /// <param name="solvedUrl">With articles: the link that closes the ticket as solved by one of them.</param>
    public static (string Subject, string Text) Compose(
        Ticket ticket, TimeSpan firstResponse, string? statusUrl, string channel = ChannelNames.Email, string? verifyUrl = null,
        IReadOnlyList<(string Title, string Url)>? articles = null, string? solvedUrl = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var texts = CustomerTexts.For(ticket.Language);
        string T(string name) => texts["Acknowledgement." + name];

        var text = new StringBuilder();
        text.Append(texts["Acknowledgement.Received", ticket.Reference]).Append('\n');
        text.Append(texts["Acknowledgement.ReplyWithin", Duration(firstResponse, texts)]).Append("\n\n");

        var redacted = ticket.Redactions.Keys.ToHashSet(StringComparer.Ordinal);
        if (redacted.Contains("mnemonic") || redacted.Contains("private_key"))
        {
            text.Append(T("MoveFunds")).Append("\n\n");
        }

        if (redacted.Contains("password"))
        {
            text.Append(T("ChangePassword")).Append("\n\n");
        }

        if (redacted.Contains("api_secret"))
        {
            text.Append(T("DeleteApiKey")).Append("\n\n");
        }

        if (ticket.Category == TicketCategory.Security || ticket.Flags.Contains(TriageFlags.PhishingVictim))
        {
            text.Append(T("Freeze")).Append("\n\n");
        }

        if (articles is { Count: > 0 })
        {
            text.Append(T("ArticlesIntro")).Append('\n');
            foreach (var (title, url) in articles)
            {
                text.Append("- ").Append(title).Append('\n').Append("  ").Append(url).Append('\n');
            }

            text.Append('\n');
            if (!string.IsNullOrEmpty(solvedUrl))
            {
                text.Append(T("SolvedLink")).Append('\n').Append(solvedUrl).Append("\n\n");
            }
        }

        text.Append(T("NeverAsk")).Append("\n\n");
        if (!string.IsNullOrEmpty(statusUrl))
        {
            text.Append(T("Status")).Append('\n').Append(statusUrl).Append("\n\n");
        }
        else if (!string.IsNullOrEmpty(verifyUrl))
        {
            text.Append(T("Verify")).Append('\n').Append(verifyUrl).Append('\n').Append(T("NotYou")).Append("\n\n");
        }

        text.Append(channel == ChannelNames.Email ? texts["Acknowledgement.KeepReference", ticket.Reference] : T("WriteHere"));
        return ($"[{ticket.Reference}] {T("Subject")}", text.ToString());
    }

    /// <summary>The acknowledgement's subject without the reference ("We have received your message"), in the ticket's language.</summary>
    public static string SubjectText(string language) => CustomerTexts.For(language)["Acknowledgement.Subject"];

    /// <summary>The committed response time in the language's words: whole days from two days on, hours (to a tenth) from one hour, else minutes.</summary>
    private static string Duration(TimeSpan span, IStringLocalizer texts)
    {
        if (span.TotalHours >= 48 && span.TotalDays == Math.Floor(span.TotalDays))
        {
            return texts["Acknowledgement.Days", (int)span.TotalDays];
        }

        if (span.TotalMinutes >= 60)
        {
            var hours = Math.Round((decimal)span.TotalHours, 1);
            return texts["Acknowledgement.Hours", hours == decimal.Truncate(hours) ? decimal.Truncate(hours) : hours];
        }

        return texts["Acknowledgement.Minutes", (int)Math.Ceiling(span.TotalMinutes)];
    }
}
