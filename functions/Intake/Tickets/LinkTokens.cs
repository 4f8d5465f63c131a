using System.Text.RegularExpressions;

namespace Intake.Tickets;

/// <summary>
/// The tokens of our own status and verify links (<c>?token={expiry}.{mac}</c>, see <c>StatusLinks</c>) in a customer's
/// text: a reply by mail quotes our acknowledgement, a customer pastes the link of their page. A token is never stored:
/// the thread is shown to agents and on the status page, and a verify link found there would give whoever reads it a
/// fresh status link after an agent revoked the old ones.
/// </summary>
public static partial class LinkTokens
{
    public const string Placeholder = "[link token]";

    /// <summary>The text with every token of our links' shape replaced by <see cref="Placeholder"/>.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("token=", StringComparison.OrdinalIgnoreCase) ? Token().Replace(text, "token=" + Placeholder) : text;
    }

    // Linear time whatever the input (a customer's text is hostile): no backtracking.
    [GeneratedRegex(@"token=[0-9]{1,12}\.[A-Za-z0-9_-]{1,64}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Token();
}
