using System.Text;
using System.Text.RegularExpressions;
using MimeKit.Text;

namespace Intake.Channels.Email;

/// <summary>
/// Text out of mail bodies: HTML turned into plain text, and the new text of a reply (what the customer wrote this
/// time, without the quoted history or the signature), which is what triage decides on.
/// </summary>
internal static partial class EmailText
{
    /// <summary>
    /// Plain text from HTML with MimeKit's tokenizer: no script, style or head, entities decoded, block elements as line
    /// breaks, runs of white space as one space, and quoted blocks (<c>&lt;blockquote&gt;</c>) prefixed with <c>&gt;</c>
    /// as a plain-text mail would quote them. Never runs anything and never fetches anything.
    /// </summary>
    public static string FromHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = new StringBuilder(html.Length / 2);
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        var hidden = 0;
        var quoteDepth = 0;
        var lineStart = true;
        var pendingSpace = false;

        void NewLine()
        {
            // Trailing spaces never count; at most one blank line between blocks.
            while (text.Length > 0 && text[^1] == ' ')
            {
                text.Length--;
            }

            if (!(text.Length >= 2 && text[^1] == '\n' && text[^2] == '\n') && text.Length > 0)
            {
                text.Append('\n');
            }

            lineStart = true;
            pendingSpace = false;
        }

        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title or HtmlTagId.NoScript:
                    if (!tag.IsEmptyElement)
                    {
                        hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                    }

                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.BlockQuote:
                    quoteDepth = Math.Max(0, quoteDepth + (tag.IsEndTag ? -1 : 1));
                    NewLine();
                    break;
                case HtmlTagToken tag when tag.Id == HtmlTagId.Br:
                    text.Append('\n');
                    lineStart = true;
                    pendingSpace = false;
                    break;
                case HtmlTagToken tag when IsBlock(tag.Id):
                    NewLine();
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.TD or HtmlTagId.TH && !tag.IsEndTag:
                    pendingSpace = !lineStart;
                    break;
                case HtmlDataToken data when hidden == 0 && token.Kind is HtmlTokenKind.Data or HtmlTokenKind.CData:
                    foreach (var c in data.Data)
                    {
                        if (char.IsWhiteSpace(c) && c != '\u00A0')
                        {
                            pendingSpace = !lineStart;
                            continue;
                        }

                        if (lineStart && quoteDepth > 0)
                        {
                            text.Append('>', quoteDepth).Append(' ');
                        }
                        else if (pendingSpace)
                        {
                            text.Append(' ');
                        }

                        text.Append(c == '\u00A0' ? ' ' : c);
                        lineStart = false;
                        pendingSpace = false;
                    }

                    break;
            }
        }

        return text.ToString().Trim();
    }

    private static bool IsBlock(HtmlTagId id) => id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.UL or HtmlTagId.OL or HtmlTagId.TR
        or HtmlTagId.Table or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6 or HtmlTagId.HR
        or HtmlTagId.Pre or HtmlTagId.Address or HtmlTagId.Article or HtmlTagId.Section or HtmlTagId.Header or HtmlTagId.Footer
        or HtmlTagId.DL or HtmlTagId.DT or HtmlTagId.DD or HtmlTagId.Body or HtmlTagId.Html;

    /// <summary>
    /// What the customer wrote this time: quoted lines (<c>&gt;</c>) go, an attribution line before a quote ("On … wrote:",
    /// "在 … 写道：") goes, and everything from a forwarded or original-message block ("-----Original Message-----",
    /// Outlook's "From: … Sent: …" header) or a signature ("-- ", "Sent from my iPhone") on is cut.
    /// </summary>
    public static string NewText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var lines = body.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.StartsWith('>'))
            {
                continue;
            }

            if (line.TrimEnd() is "--" or "-- " || line == "-- " || SignOff().IsMatch(trimmed) || HistoryStart().IsMatch(trimmed)
                || (trimmed.StartsWith("From:", StringComparison.OrdinalIgnoreCase) && IsOutlookHeader(lines, i)))
            {
                break;
            }

            var span = Attribution().IsMatch(trimmed) ? 1
                : i + 1 < lines.Length && lines[i + 1].Trim().Length > 0 && Attribution().IsMatch(trimmed + " " + lines[i + 1].Trim()) ? 2
                : 0;
            if (span > 0)
            {
                // "On Mon, … wrote:" (perhaps wrapped over two lines) introduces a quote, whose lines go anyway. Followed
                // by unquoted text, a dated attribution starts a history pasted without quoting: cut there. Any other
                // "… wrote:" followed by text is the customer's own sentence.
                var next = NextNonEmpty(lines, i + span);
                if (next is null || next.TrimStart().StartsWith('>'))
                {
                    i += span - 1;
                    continue;
                }

                if (DatedAttribution().IsMatch(trimmed))
                {
                    break;
                }
            }

            kept.Add(line);
        }

        return string.Join('\n', kept).Trim();
    }

    private static string? NextNonEmpty(string[] lines, int from)
    {
        for (var i = from; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                return lines[i];
            }
        }

        return null;
    }

    /// <summary>Outlook quotes by pasting the original's headers: "From:" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:".</summary>
    private static bool IsOutlookHeader(string[] lines, int at)
    {
        var seen = 0;
        for (var i = at + 1; i < Math.Min(lines.Length, at + 6); i++)
        {
            if (OutlookField().IsMatch(lines[i].Trim()))
            {
                seen++;
            }
        }

        return seen >= 2;
    }

    [GeneratedRegex(@"^(On\s.+\swrote:|On\s.+\s(написал|escribió|a écrit|schrieb|scrisse|escreveu)\s?:|在.+(写道|寫道)\s?[:：]|.+(写道|寫道)\s?[:：]$|.+\s(wrote|написал\(а\)|escribió|a écrit|schrieb)\s?:$)$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^(On\s.*\d.*|在.*\d.*)$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DatedAttribution();

    [GeneratedRegex(@"^(-{2,}\s*(Original Message|Forwarded message|Original|原始邮件|原始郵件|转发的邮件|轉寄的郵件|Исходное сообщение)\s*-{2,}|_{10,})$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex HistoryStart();

    [GeneratedRegex(@"^(Sent from my\s|Get Outlook for\s|Sent from Mail for\s|发自我的|發自我的|从我的.+发送|從我的.+傳送|Отправлено с)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SignOff();

    [GeneratedRegex(@"^(Sent|Date|To|Subject|Cc|发送时间|收件人|主题|寄件日期|主旨)\s?[:：]", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex OutlookField();
}
