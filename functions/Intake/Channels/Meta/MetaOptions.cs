using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Intake.Channels.Meta;

/// <summary>
/// The <c>Meta</c> section: one app's webhook for Messenger, Instagram and WhatsApp, and the page token for Messenger
/// and Instagram replies. The webhook is on only when both <see cref="AppSecret"/> and <see cref="VerifyToken"/> are
/// set (otherwise <c>GET|POST /api/intake/meta</c> answer 404). Validation messages never quote a value: they end up
/// in start-up logs.
/// </summary>
public sealed partial class MetaOptions : IValidatableObject
{
    public const string Section = "Meta";

    /// <summary>The app secret that signs every webhook POST (<c>X-Hub-Signature-256</c>).</summary>
    public string? AppSecret { get; set; }

    /// <summary>What we typed into the app dashboard; Meta sends it back in the <c>hub.verify_token</c> handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>The page access token for the Send API (Messenger and Instagram).</summary>
    public string? PageAccessToken { get; set; }

    /// <summary>Where the Graph API lives; tests and sandboxes point it elsewhere.</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com");

    /// <summary>The Graph API version in every outbound path.</summary>
    public string GraphVersion { get; set; } = "v25.0";

    public bool IsWebhookConfigured => !string.IsNullOrWhiteSpace(AppSecret) && !string.IsNullOrWhiteSpace(VerifyToken);

    public bool HasPageAccessToken => !string.IsNullOrWhiteSpace(PageAccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new($"{Section}:{nameof(BaseUrl)} must be an absolute http or https URL.", [nameof(BaseUrl)]);
        }

        if (GraphVersion is null || !GraphVersionFormat().IsMatch(GraphVersion))
        {
            yield return new($"{Section}:{nameof(GraphVersion)} must look like v25.0.", [nameof(GraphVersion)]);
        }

        foreach (var (name, value) in new[] { (nameof(AppSecret), AppSecret), (nameof(VerifyToken), VerifyToken), (nameof(PageAccessToken), PageAccessToken) })
        {
            if (!string.IsNullOrEmpty(value) && value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                yield return new($"{Section}:{name} contains whitespace or control characters; check how it was pasted.", [name]);
            }
        }
    }

    [GeneratedRegex(@"^v[0-9]{1,3}\.[0-9]{1,3}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex GraphVersionFormat();
}

/// <summary>
/// The <c>WhatsApp</c> section: the Cloud API's token and sending number. Without <see cref="AccessToken"/> or
/// <see cref="PhoneNumberId"/> WhatsApp replies are recorded <c>not_configured</c>. <see cref="TemplateName"/>, when
/// set, is an approved template sent instead of the acknowledgement once the 24-hour window has closed.
/// The webhook itself is the <c>Meta</c> section's.
/// </summary>
public sealed partial class WhatsAppOptions : IValidatableObject
{
    public const string Section = "WhatsApp";

    public string? AccessToken { get; set; }

    /// <summary>The Cloud API's id of our business phone number (not the number itself).</summary>
    public string? PhoneNumberId { get; set; }

    public string? TemplateName { get; set; }

    public string TemplateLanguage { get; set; } = "en";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccessToken) && !string.IsNullOrWhiteSpace(PhoneNumberId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(AccessToken) && AccessToken.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new($"{Section}:{nameof(AccessToken)} contains whitespace or control characters; check how it was pasted.", [nameof(AccessToken)]);
        }

        if (!string.IsNullOrEmpty(PhoneNumberId) && !PhoneNumberId.All(char.IsAsciiDigit))
        {
            yield return new($"{Section}:{nameof(PhoneNumberId)} must be the numeric phone number id from the WhatsApp Manager.", [nameof(PhoneNumberId)]);
        }

        if (!string.IsNullOrEmpty(TemplateName) && !TemplateNameFormat().IsMatch(TemplateName))
        {
            yield return new($"{Section}:{nameof(TemplateName)} must be a template name of lower-case letters, digits and underscores.", [nameof(TemplateName)]);
        }

        if (string.IsNullOrWhiteSpace(TemplateLanguage) || !TemplateLanguageFormat().IsMatch(TemplateLanguage))
        {
            yield return new($"{Section}:{nameof(TemplateLanguage)} must be a template language code such as en or zh_CN.", [nameof(TemplateLanguage)]);
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,512}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TemplateNameFormat();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Za-z]{2,4})?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TemplateLanguageFormat();
}
