using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Intake.Texts;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.WebUtilities;

namespace Intake.Channels.WebForm;

/// <summary>
/// A web-form submission, as read from JSON or a urlencoded form, before it is checked. <see cref="Language"/> is the
/// language the form was shown in (a hint), <see cref="ReplyLanguage"/> (<c>reply_language</c>) one the customer chose
/// for our answers (it wins; empty lets the message decide). <see cref="Submission"/> is the
/// support page's own idempotency key: a random value the page was rendered with, so that the browser sending the form
/// again (a retry after a dropped connection, a second click, a reload) finds the ticket the first one made.
/// </summary>
public sealed record WebFormSubmission(
    string? Message,
    string? Name,
    string? Email,
    string? Subject,
    string? Language,
    string? Reference,
    string? Token,
    string? Website,
    string? Submission = null,
    string? ReplyLanguage = null)
{
    public const int MaxMessageLength = 10_000;
    public const int MaxBodyBytes = 64 * 1024;
    private const int MaxFieldLength = 200;

    /// <summary>The honeypot: a field people never see, so only a bot fills it in.</summary>
    public bool IsBot => !string.IsNullOrEmpty(Website);

    /// <summary>Parses a JSON object; null when the body is not one (or holds non-string fields).</summary>
    public static WebFormSubmission? FromJson(ReadOnlySpan<byte> body)
    {
        // JSON is UTF-8 (RFC 8259); anything else is refused as the form refuses it. A lone surrogate escape inside valid
        // UTF-8 is read leniently (JsonText): a client that cut an emoji in half still gets its message through.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 4, CommentHandling = JsonCommentHandling.Disallow });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                fields[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => JsonText.Get(property.Value),
                    JsonValueKind.Null => null,
                    _ => throw new FormatException($"'{property.Name}' must be a string."),
                };
            }

            return FromFields(fields);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Parses <c>application/x-www-form-urlencoded</c> (UTF-8); null when it is malformed.</summary>
    public static WebFormSubmission? FromForm(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in QueryHelpers.ParseQuery(text.StartsWith('?') ? text : "?" + text))
        {
            fields[key] = value.Count == 1 ? value[0] : string.Join('\n', value.ToArray());
        }

        return FromFields(fields);
    }

    private static WebFormSubmission FromFields(Dictionary<string, string?> fields) => new(
        fields.GetValueOrDefault("message"),
        fields.GetValueOrDefault("name"),
        fields.GetValueOrDefault("email"),
        fields.GetValueOrDefault("subject"),
        fields.GetValueOrDefault("language"),
        fields.GetValueOrDefault("reference"),
        fields.GetValueOrDefault("token"),
        fields.GetValueOrDefault("website"),
        fields.GetValueOrDefault("submission"),
        fields.GetValueOrDefault("reply_language"));

    /// <summary>Field errors, keyed by field name as a client sent it; empty when the submission may be accepted.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Message))
        {
            errors["message"] = ["Write your message."];
        }
        else if (Message.Length > MaxMessageLength)
        {
            errors["message"] = [$"A message may be at most {MaxMessageLength:N0} characters."];
        }

        if (Name is { Length: > MaxFieldLength })
        {
            errors["name"] = [$"At most {MaxFieldLength} characters."];
        }

        if (Subject is { Length: > MaxFieldLength })
        {
            errors["subject"] = [$"At most {MaxFieldLength} characters."];
        }

        if (!string.IsNullOrWhiteSpace(Email) && NormalizedEmail is null)
        {
            errors["email"] = ["This is not an email address."];
        }

        if (Language is { Length: > 35 })
        {
            errors["language"] = ["Not a language tag."];
        }

        // Empty is "the language I write in"; anything else must be a language Intake answers in.
        if (!string.IsNullOrWhiteSpace(ReplyLanguage) && !CustomerTexts.Speaks(CustomerTexts.Normalize(ReplyLanguage)))
        {
            errors["reply_language"] = ["Not a language tag."];
        }

        if (!string.IsNullOrWhiteSpace(Reference) && !TicketIds.TryNormalizeReference(Reference, out _))
        {
            errors["reference"] = ["A reference looks like T-ABC234."];
        }
        else if (!string.IsNullOrWhiteSpace(Reference) && NormalizedEmail is null && string.IsNullOrEmpty(Token))
        {
            errors["reference"] = [WebFormIntake.EmailNeededError];
        }

        return errors;
    }

    /// <summary>The address, trimmed and checked, or null.</summary>
    public string? NormalizedEmail
    {
        get
        {
            var email = Email?.Trim();
            if (string.IsNullOrEmpty(email) || email.Length > 254 || email.Any(char.IsControl))
            {
                return null;
            }

            return MailAddress.TryCreate(email, out var address) && address.Address == email && address.DisplayName.Length == 0
                ? address.Address
                : null;
        }
    }
}
