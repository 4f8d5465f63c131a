using System.Text;
using System.Text.RegularExpressions;
using MimeKit;
using MimeKit.Utils;

namespace Intake.Channels.Email;

/// <summary>
/// Who sent a mail, read leniently: the first usable address of <c>From</c>, else <c>Sender</c>, <c>Reply-To</c>,
/// <c>Return-Path</c>, else the SMTP envelope sender. Real mail breaks RFC 5322 in many ways — <c>Name addr@host</c> without
/// angle brackets, spaces inside the address, <c>From  :</c>, a display name and no address — and SendGrid does not
/// retry a refusal, so a header that does not parse is searched for anything shaped like an address. Null when nothing
/// anywhere is one: the mail is still kept (flagged <c>no_sender_address</c>).
/// </summary>
internal static partial class MailSenders
{
    private static readonly string[] SenderHeaders = ["From", "Sender", "Reply-To", "Return-Path"];

    /// <summary>The sender from the header block (raw 8-bit names decoded as <paramref name="options"/> says), else the envelope.</summary>
    public static MailboxAddress? Find(HeaderList headers, ParserOptions options, string? envelopeSender, string? fromField = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (fromField is not null && Parse(Encoding.UTF8.GetBytes(fromField), ParserOptions.Default) is { } field)
        {
            return field;
        }

        foreach (var name in SenderHeaders)
        {
            // Trimmed: the obsolete syntax allows white space before the colon (From  :).
            foreach (var header in headers.Where(h => h.Field.Trim().Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                if (Parse(header.RawValue, options) is { } address)
                {
                    return address;
                }
            }
        }

        return envelopeSender is not null && Parse(Encoding.UTF8.GetBytes(envelopeSender), ParserOptions.Default) is { } envelope ? envelope : null;
    }

    /// <summary>The first usable mailbox in a header value: as RFC 5322 reads it, else anything in it shaped like an address.</summary>
    internal static MailboxAddress? Parse(byte[] raw, ParserOptions options)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        if (InternetAddressList.TryParse(options, raw, out var list) && list.Mailboxes.FirstOrDefault(m => IsAddress(m.Address)) is { } mailbox)
        {
            return mailbox;
        }

        var text = Rfc2047.DecodeText(options, raw).ReplaceLineEndings(" ").Trim();
        if (Bracketed().Match(text) is { Success: true } bracketed && Clean(bracketed.Groups[1].Value) is { } inside)
        {
            return new MailboxAddress(NameOf(text.Remove(bracketed.Index, bracketed.Length)), inside);
        }

        if (Bare().Match(text) is { Success: true } bare && Clean(bare.Value) is { } address)
        {
            return new MailboxAddress(NameOf(text.Remove(bare.Index, bare.Length)), address);
        }

        return null;
    }

    /// <summary>
    /// An address as written, made usable: no space around the <c>@</c>, and a local part with spaces in it quoted (so the
    /// address is the one written, not another person's with the spaces dropped).
    /// </summary>
    private static string? Clean(string value)
    {
        var address = value.Trim().Trim('<', '>').Trim();
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return null;
        }

        var local = address[..at].Trim();
        var domain = address[(at + 1)..].Trim();
        if (local.Length == 0 || domain.Length == 0 || domain.Any(char.IsWhiteSpace) || !domain.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        if (local.Any(char.IsWhiteSpace) && !local.StartsWith('"'))
        {
            local = "\"" + string.Join(' ', local.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("\"", "", StringComparison.Ordinal) + "\"";
        }

        var cleaned = $"{local}@{domain}";
        return IsAddress(cleaned) ? cleaned : null;
    }

    private static string? NameOf(string rest)
    {
        var name = rest.Trim().Trim('"', '\'', '(', ')', ',', ';', ':').Trim();
        return name.Length == 0 ? null : name;
    }

    internal static bool IsAddress(string? address) =>
        address is { Length: > 2 and <= 320 } && address.LastIndexOf('@') is > 0 and var at && at < address.Length - 1 && !address.Any(char.IsControl);

    /// <summary>What is between the first angle brackets, when it has an <c>@</c>.</summary>
    [GeneratedRegex(@"<([^<>@]*@[^<>]*)>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Bracketed();

    /// <summary>A bare <c>local@domain.tld</c>, perhaps with spaces around the <c>@</c>.</summary>
    [GeneratedRegex(@"[^\s<>""'(),;:\[\]@]+\s*@\s*[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Bare();
}
