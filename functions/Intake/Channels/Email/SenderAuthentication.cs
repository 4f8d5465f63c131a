using System.Globalization;

namespace Intake.Channels.Email;

/// <summary>
/// Whether SendGrid's verdicts prove that the mail comes from the domain of its <c>From</c> address. SPF counts when it
/// passed (<c>SPF</c> field: <c>pass</c>, perhaps with a comment) for an envelope sender (SMTP MAIL FROM) whose domain is
/// the From domain or a parent of it; DKIM counts when a signature passed (<c>dkim</c> field:
/// <c>{@example.com : pass}</c>, several comma-separated) for the From domain or a parent of it. A parent, never a
/// child: whoever controls a domain's DNS controls its subdomains, not the other way round, so this needs no public
/// suffix list and a delegated subdomain cannot speak for its parent. Anything unreadable counts as not passed.
/// </summary>
internal static class SenderAuthentication
{
    /// <summary>More signatures than a mail carries: the rest are not read.</summary>
    private const int MaxSignatures = 16;

    private static readonly IdnMapping Idn = new();

    /// <summary>What proved the sender (<c>spf</c>, <c>dkim</c>, both), or nothing.</summary>
    public static SenderCheck Check(string fromAddress, string? envelopeSender, string? spf, string? dkim)
    {
        ArgumentNullException.ThrowIfNull(fromAddress);
        var from = DomainOf(fromAddress);
        if (from is null)
        {
            return SenderCheck.None;
        }

        var spfAligned = FirstWord(spf) == "pass" && envelopeSender is not null && DomainOf(envelopeSender.Trim().Trim('<', '>')) is { } envelope && Covers(envelope, from);
        var dkimAligned = PassingDkimDomains(dkim).Any(domain => Covers(domain, from));
        return new SenderCheck(spfAligned, dkimAligned);
    }

    /// <summary>The domains of the DKIM signatures that passed, from <c>{@a.example : pass, @b.example : fail}</c>.</summary>
    internal static IEnumerable<string> PassingDkimDomains(string? dkim)
    {
        if (string.IsNullOrWhiteSpace(dkim))
        {
            yield break;
        }

        foreach (var entry in dkim.Trim().TrimStart('{').TrimEnd('}').Split([',', ';'], StringSplitOptions.RemoveEmptyEntries).Take(MaxSignatures))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || FirstWord(entry[(colon + 1)..]) != "pass")
            {
                continue;
            }

            // "@example.com", or an identity "user@example.com": the signing domain is what follows the last "@".
            var identity = entry[..colon].Trim();
            if (Normalize(identity[(identity.LastIndexOf('@') + 1)..]) is { } domain)
            {
                yield return domain;
            }
        }
    }

    /// <summary>The signer or envelope domain speaks for the From domain: the same, or a parent of it with at least two labels.</summary>
    private static bool Covers(string domain, string from) =>
        domain.Contains('.', StringComparison.Ordinal)
        && (from == domain || from.EndsWith("." + domain, StringComparison.Ordinal));

    private static string? DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 ? Normalize(address[(at + 1)..]) : null;
    }

    /// <summary>Lower case, no trailing dot, international names in their ASCII form; null for anything that is not a host name.</summary>
    private static string? Normalize(string domain)
    {
        var trimmed = domain.Trim().TrimEnd('.');
        if (trimmed.Length is 0 or > 253)
        {
            return null;
        }

        try
        {
            var ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
            return ascii.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !ascii.Contains("..", StringComparison.Ordinal) ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The verdict's keyword, lower-cased: <c>Pass (mx: …)</c> → <c>pass</c>.</summary>
    private static string FirstWord(string? value)
    {
        var trimmed = value?.Trim() ?? "";
        var end = trimmed.IndexOfAny([' ', '\t', '(', ';', ',', '}']);
        return (end < 0 ? trimmed : trimmed[..end]).ToLowerInvariant();
    }
}

/// <summary>Which of SPF and DKIM vouched for the From domain.</summary>
internal sealed record SenderCheck(bool Spf, bool Dkim)
{
    public static SenderCheck None { get; } = new(false, false);

    public bool Verified => Spf || Dkim;

    /// <summary>For agents: <c>spf</c>, <c>dkim</c>, <c>spf,dkim</c>, or <c>none</c>.</summary>
    public string Name => (Spf, Dkim) switch
    {
        (true, true) => "spf,dkim",
        (true, false) => "spf",
        (false, true) => "dkim",
        _ => "none",
    };
}
