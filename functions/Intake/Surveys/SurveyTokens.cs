using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Intake.Tickets;
using Intake.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Surveys;

/// <summary>
/// What a survey token says, once its signature is checked: the ticket, when the survey was sent (the day names its row
/// in the <c>Surveys</c> table) and, for a button or quick reply, the score it stands for (0 for a link, which asks).
/// </summary>
public sealed record SurveyToken(string TicketId, DateTimeOffset SentAt, int Score)
{
    /// <summary>The <c>Surveys</c> partition: the day the survey was sent, <c>yyyyMMdd</c> (UTC).</summary>
    public string Day => SurveyStore.DayOf(SentAt);
}

/// <summary>
/// Signs and reads survey tokens: <c>{ticketId}.{sent, unix seconds base 36}.{score}.{mac}</c>, the MAC the first 12 bytes
/// of HMAC-SHA256 over the rest, base64url. About 53 characters, so it fits Telegram's 64-byte <c>callback_data</c>, a
/// path segment and a quick-reply payload alike. Single use and validity are not the token's business: the
/// <see cref="SurveyDesk"/> checks them against the clock and the stored survey.
/// </summary>
public sealed class SurveyTokens
{
    private const int MacBytes = 12;
    private const int MaxTokenLength = 64;
    private readonly byte[] _key;

    public SurveyTokens(IOptions<SurveyOptions> surveys, IOptions<IntakeOptions> intake, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(environment);
        _key = surveys.Value.SigningKey is { Length: > 0 } own
            ? Encoding.UTF8.GetBytes(own)
            : intake.Value.SigningKey is { Length: > 0 } shared
                ? DeriveKey(shared)
                : environment.IsDevelopment()
                    ? RandomNumberGenerator.GetBytes(32)
                    : throw new InvalidOperationException(
                        $"Neither {SurveyOptions.Section}:SigningKey nor {IntakeOptions.Section}:SigningKey is configured; one signs the survey links customers receive.");
    }

    internal SurveyTokens(byte[] key) => _key = key;

    /// <summary>A key of its own for surveys, so that a status-link signature can never pass for a survey token.</summary>
    internal static byte[] DeriveKey(string intakeKey) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(intakeKey), Encoding.UTF8.GetBytes("intake-surveys-v1"));

    public string Create(string ticketId, DateTimeOffset sentAt, int score = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(ticketId);
        ArgumentOutOfRangeException.ThrowIfNegative(score);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, 5);
        var body = $"{ticketId}.{ToBase36(sentAt.ToUnixTimeSeconds())}.{score.ToString(CultureInfo.InvariantCulture)}";
        return body + "." + Mac(body);
    }

    /// <summary>The token's content, or null when it is malformed or its signature does not match (tampered, or not ours).</summary>
    public SurveyToken? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 4 || !TicketIds.TryGetReference(parts[0], out _)
            || !TryFromBase36(parts[1], out var seconds) || parts[2] is not [>= '0' and <= '5'])
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(string.Join('.', parts[..3])));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(parts[3])))
        {
            return null;
        }

        return seconds > 253_402_300_799 ? null : new SurveyToken(parts[0], DateTimeOffset.FromUnixTimeSeconds(seconds), parts[2][0] - '0');
    }

    private string Mac(string body)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("survey|" + body), mac);
        return Base64Url.EncodeToString(mac[..MacBytes]);
    }

    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";

    private static string ToBase36(long value)
    {
        if (value <= 0)
        {
            return "0";
        }

        var chars = new Stack<char>();
        while (value > 0)
        {
            chars.Push(Digits[(int)(value % 36)]);
            value /= 36;
        }

        return new string([.. chars]);
    }

    private static bool TryFromBase36(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 12)
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value * 36) + digit;
        }

        return true;
    }
}
