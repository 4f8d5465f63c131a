using System.ComponentModel.DataAnnotations;
using Intake.Tickets;

namespace Intake.Channels.Email;

/// <summary>
/// Outbound email through SendGrid. Email replies are off (recorded as <c>not_configured</c>) until both
/// <see cref="ApiKey"/> and <see cref="FromEmail"/> are set; setting only one of them is a mistake and stops the app
/// at start-up rather than silently sending nothing.
/// </summary>
public sealed class SendGridOptions : IValidatableObject
{
    public const string Section = "SendGrid";

    /// <summary>Where the API lives; null means SendGrid's own (<c>https://api.sendgrid.com</c>). Tests point it at a fake.</summary>
    public Uri? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The bare sending address (<c>support@example.com</c>), on a domain authenticated in SendGrid.</summary>
    public string? FromEmail { get; set; }

    public string FromName { get; set; } = "Support";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(FromEmail);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasKey = !string.IsNullOrWhiteSpace(ApiKey);
        var hasFrom = !string.IsNullOrWhiteSpace(FromEmail);

        if (hasFrom && !Mailboxes.IsBareAddress(FromEmail!))
        {
            yield return new($"{Section}:{nameof(FromEmail)} must be a plain email address such as support@example.com.", [nameof(FromEmail)]);
        }

        if (hasKey != hasFrom)
        {
            var missing = hasKey ? nameof(FromEmail) : nameof(ApiKey);
            yield return new($"{Section}:{missing} is not set, but the rest of outbound email is. Set both {Section}:{nameof(ApiKey)} and " +
                $"{Section}:{nameof(FromEmail)}, or neither to turn email replies off.", [missing]);
        }

        // Never quote the key: this message ends up in start-up logs.
        if (hasKey && ApiKey!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            yield return new($"{Section}:{nameof(ApiKey)} contains whitespace or control characters; check how it was pasted.", [nameof(ApiKey)]);
        }

        if (BaseUrl is not null && !(BaseUrl.IsAbsoluteUri && (BaseUrl.Scheme == Uri.UriSchemeHttps || BaseUrl.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new($"{Section}:{nameof(BaseUrl)} must be an absolute http or https URL.", [nameof(BaseUrl)]);
        }

        if (string.IsNullOrWhiteSpace(FromName) || FromName.Any(char.IsControl))
        {
            yield return new($"{Section}:{nameof(FromName)} must be a non-empty single line.", [nameof(FromName)]);
        }
    }
}
