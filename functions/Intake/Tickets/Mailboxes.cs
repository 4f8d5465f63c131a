using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Intake.Tickets;

/// <summary>
/// The mailbox an email address delivers to, as one string, for whatever counts per person: the daily allowance of
/// automatic messages and the web form's per-address limit. Spellings that land in one inbox are one mailbox: case,
/// a <c>+tag</c> in the local part (Gmail, Outlook, Fastmail and most others deliver <c>name+tag@</c> to <c>name@</c>),
/// Gmail's dots (<c>n.a.m.e@gmail.com</c>) and its <c>googlemail.com</c> alias, and a domain in Unicode or in punycode.
/// Only for counting: mail still goes to the address as the customer wrote it. Also what a configured address must be
/// (<see cref="IsBareAddress"/>: our sending address, the escalation address).
/// </summary>
public static class Mailboxes
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = false };

    public static string Of(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var trimmed = address.Trim().Normalize(NormalizationForm.FormC);
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return trimmed.ToLowerInvariant();
        }

        var local = trimmed[..at].ToLowerInvariant();
        var domain = Domain(trimmed[(at + 1)..]);

        // A tag starts at the first '+'; a local part that is nothing but a tag is left alone.
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            domain = "gmail.com";
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        return local + "@" + domain;
    }

    /// <summary>An address alone, without a display name or angle brackets.</summary>
    public static bool IsBareAddress(string value) =>
        MailAddress.TryCreate(value, out var parsed) && string.Equals(parsed.Address, value, StringComparison.Ordinal) && string.IsNullOrEmpty(parsed.DisplayName);

    /// <summary>Lower-case ASCII (punycode) without a trailing dot; as given, lower-cased, when it is no valid domain name.</summary>
    private static string Domain(string domain)
    {
        domain = domain.TrimEnd('.');
        try
        {
            return Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return domain.ToLowerInvariant();
        }
    }
}
