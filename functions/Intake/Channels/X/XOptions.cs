using System.ComponentModel.DataAnnotations;

namespace Intake.Channels.X;

/// <summary>
/// The <c>X</c> section. The webhook (<c>GET|POST /api/intake/x</c>) is on only when <see cref="ConsumerSecret"/> is set
/// (otherwise it answers 404); replies need only <see cref="AccessToken"/>. Validation messages never quote either
/// value: they end up in start-up logs.
/// </summary>
public sealed class XOptions : IValidatableObject
{
    public const string Section = "X";

    /// <summary>The app's API secret: it answers the CRC challenge and checks <c>x-twitter-webhooks-signature</c>.</summary>
    public string? ConsumerSecret { get; set; }

    /// <summary>A user-context bearer token of the support account, with <c>dm.write</c>, for sending direct messages.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Where the X API lives; tests and sandboxes point it elsewhere.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.x.com");

    public bool IsWebhookConfigured => !string.IsNullOrWhiteSpace(ConsumerSecret);

    public bool HasAccessToken => !string.IsNullOrWhiteSpace(AccessToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // It goes into an Authorization header: anything but visible ASCII is a paste accident (a line break, a quote).
        if (HasAccessToken && AccessToken!.Any(c => c is < '!' or > '~'))
        {
            yield return new($"{Section}:{nameof(AccessToken)} must be visible ASCII characters only; check how it was pasted.", [nameof(AccessToken)]);
        }

        if (!(BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new($"{Section}:{nameof(BaseUrl)} must be an absolute http or https URL.", [nameof(BaseUrl)]);
        }
    }
}
