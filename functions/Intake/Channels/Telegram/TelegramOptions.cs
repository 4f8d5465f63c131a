using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Intake.Channels.Telegram;

/// <summary>
/// The <c>Telegram</c> section. The webhook is on only when both <see cref="BotToken"/> and <see cref="SecretToken"/>
/// are set (otherwise <c>POST /api/intake/telegram</c> answers 404); replies need only the bot token. Validation
/// messages never quote either value: they end up in start-up logs.
/// </summary>
public sealed partial class TelegramOptions : IValidatableObject
{
    public const string Section = "Telegram";

    /// <summary>The bot's token from @BotFather, <c>&lt;digits&gt;:&lt;text&gt;</c>.</summary>
    public string? BotToken { get; set; }

    /// <summary>What Telegram sends back in <c>X-Telegram-Bot-Api-Secret-Token</c>: 1–256 of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public string? SecretToken { get; set; }

    /// <summary>Where the Bot API lives; tests and sandboxes point it elsewhere.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.telegram.org");

    /// <summary>Whether messages in groups and supergroups become tickets; private chats always do.</summary>
    public bool AllowGroups { get; set; }

    public bool HasBotToken => !string.IsNullOrWhiteSpace(BotToken);

    public bool IsWebhookConfigured => HasBotToken && !string.IsNullOrWhiteSpace(SecretToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasBotToken && !BotTokenFormat().IsMatch(BotToken!))
        {
            yield return new($"{Section}:{nameof(BotToken)} must look like <digits>:<text> as @BotFather gives it; check how it was pasted.", [nameof(BotToken)]);
        }

        if (!string.IsNullOrEmpty(SecretToken) && !SecretTokenFormat().IsMatch(SecretToken))
        {
            yield return new($"{Section}:{nameof(SecretToken)} must be 1–256 characters of A-Z, a-z, 0-9, _ and -.", [nameof(SecretToken)]);
        }

        if (!(BaseUrl is { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            yield return new($"{Section}:{nameof(BaseUrl)} must be an absolute http or https URL.", [nameof(BaseUrl)]);
        }
    }

    [GeneratedRegex("^[0-9]+:[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex BotTokenFormat();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SecretTokenFormat();
}
