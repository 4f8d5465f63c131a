using System.ComponentModel.DataAnnotations;

namespace Intake.Channels.Email;

/// <summary>
/// Inbound email (SendGrid Inbound Parse), from the <c>SendGrid</c> section it shares with outbound mail. The channel is
/// off (its webhook answers 404) until both <see cref="InboundUser"/> and <see cref="InboundPassword"/> are set: the
/// basic-auth credentials written into the Inbound Parse URL (<c>https://user:pass@host/api/intake/email</c>).
/// </summary>
public sealed class EmailInboundOptions : IValidatableObject
{
    public const string Section = "SendGrid";

    public string? InboundUser { get; set; }

    public string? InboundPassword { get; set; }

    /// <summary>SendGrid's <c>spam_score</c> above this flags the ticket <c>spam_suspected</c>: no acknowledgement.</summary>
    [Range(0.0, 1000.0)]
    public double SpamThreshold { get; set; } = 5.0;

    public bool IsEnabled => !string.IsNullOrEmpty(InboundUser) && !string.IsNullOrEmpty(InboundPassword);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasUser = !string.IsNullOrEmpty(InboundUser);
        var hasPassword = !string.IsNullOrEmpty(InboundPassword);

        // Never quote either value: these messages end up in start-up logs.
        if (hasUser != hasPassword)
        {
            var missing = hasUser ? nameof(InboundPassword) : nameof(InboundUser);
            yield return new($"{Section}:{missing} is not set, but {Section}:{(hasUser ? nameof(InboundUser) : nameof(InboundPassword))} is. " +
                "Set both to turn inbound email on, or neither to leave it off.", [missing]);
        }

        if (hasUser && (InboundUser!.Contains(':', StringComparison.Ordinal) || InboundUser.Any(char.IsControl)))
        {
            yield return new($"{Section}:{nameof(InboundUser)} may not contain ':' or control characters (basic auth).", [nameof(InboundUser)]);
        }

        if (hasPassword && InboundPassword!.Any(char.IsControl))
        {
            yield return new($"{Section}:{nameof(InboundPassword)} contains control characters; check how it was pasted.", [nameof(InboundPassword)]);
        }
    }
}
