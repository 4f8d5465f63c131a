using Intake.Tickets;
using MimeKit;

namespace Intake.Channels.Email;

/// <summary>
/// RFC 3834 and common practice: which mail no machine should answer. Each finding is a <see cref="ChannelFlags"/>
/// value on the ticket, and any of them stops the acknowledgement.
/// </summary>
internal static class AutomaticMail
{
    /// <summary>
    /// The flags for a mail with these headers and this envelope sender (SMTP MAIL FROM; <c>""</c> for the null
    /// sender <c>&lt;&gt;</c>, null when unknown); <paramref name="deliveryReport"/> when it is a bounce,
    /// <paramref name="report"/> when it is any other machine's report (<c>multipart/report</c>: a read receipt, an abuse
    /// feedback report), which RFC 3834 says is never answered.
    /// </summary>
    public static IReadOnlyList<string> Flags(HeaderList headers, string? envelopeSender, bool deliveryReport, bool report = false)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var flags = new List<string>(2);
        if (headers[HeaderId.AutoSubmitted] is { } autoSubmitted && !string.Equals(Keyword(autoSubmitted), "no", StringComparison.OrdinalIgnoreCase))
        {
            flags.Add(ChannelFlags.AutoSubmitted);
        }

        if (report)
        {
            flags.Add(ChannelFlags.AutoSubmitted);
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Auto-Response-Suppress"))
        {
            flags.Add(ChannelFlags.AutoSubmitted);
        }

        if (envelopeSender is not null)
        {
            var address = envelopeSender.Trim().Trim('<', '>').Trim();
            var local = address.Split('@')[0];
            if (address.Length == 0 || local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
            {
                flags.Add(ChannelFlags.AutoSubmitted);
            }
            else if (local.EndsWith("-request", StringComparison.OrdinalIgnoreCase) || local.StartsWith("owner-", StringComparison.OrdinalIgnoreCase))
            {
                flags.Add(ChannelFlags.BulkMail);
            }
        }

        if (headers[HeaderId.Precedence] is { } precedence && Keyword(precedence).ToLowerInvariant() is "bulk" or "junk" or "list")
        {
            flags.Add(ChannelFlags.BulkMail);
        }

        if (headers.Contains(HeaderId.ListId) || headers.Contains(HeaderId.ListUnsubscribe))
        {
            flags.Add(ChannelFlags.BulkMail);
        }

        if (deliveryReport || IsFromMailerDaemon(headers))
        {
            flags.Add(ChannelFlags.AutoSubmitted);
            flags.Add(ChannelFlags.Bounce);
        }

        return [.. flags.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Mail from <c>MAILER-DAEMON</c> is a bounce whatever shape its From takes (<c>MAILER-DAEMON (Mail Delivery System)</c>
    /// has no address at all), report or plain text: read from the header as written, before any sender is looked for.
    /// </summary>
    internal static bool IsFromMailerDaemon(HeaderList headers) =>
        headers.Any(h => h.Field.Trim().Equals("From", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("mailer-daemon", StringComparison.OrdinalIgnoreCase));

    /// <summary>Any <c>multipart/report</c>: a bounce, a read receipt (<c>disposition-notification</c>), a feedback report.</summary>
    public static bool IsReport(ContentType? type) => type is not null && type.IsMimeType("multipart", "report");

    /// <summary>The same, from a header block's <c>Content-Type</c> (parsed mode's <c>headers</c> field).</summary>
    public static bool IsReport(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers[HeaderId.ContentType] is { } value && ContentType.TryParse(value, out var type) && IsReport(type);
    }

    /// <summary>A delivery-status report (<c>multipart/report; report-type=delivery-status</c>): a bounce.</summary>
    public static bool IsDeliveryReport(ContentType? type) =>
        type is not null
        && type.IsMimeType("multipart", "report")
        && string.Equals(type.Parameters["report-type"]?.Trim(), "delivery-status", StringComparison.OrdinalIgnoreCase);

    /// <summary>The same, from a header block's <c>Content-Type</c> (parsed mode's <c>headers</c> field).</summary>
    public static bool IsDeliveryReport(HeaderList headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers[HeaderId.ContentType] is { } value && ContentType.TryParse(value, out var type) && IsDeliveryReport(type);
    }

    /// <summary>The header's keyword without parameters or comments (<c>auto-replied; owner-email=…</c> → <c>auto-replied</c>).</summary>
    private static string Keyword(string value)
    {
        var end = value.IndexOfAny([';', '(']);
        return (end < 0 ? value : value[..end]).Trim();
    }
}
