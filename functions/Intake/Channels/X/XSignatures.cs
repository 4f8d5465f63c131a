using System.Security.Cryptography;
using System.Text;

namespace Intake.Channels.X;

/// <summary>
/// The two HMACs of the Account Activity API, both <c>sha256=</c> + Base64(HMAC-SHA256(consumer secret, data)): the CRC
/// <c>response_token</c> over the <c>crc_token</c>, and <c>x-twitter-webhooks-signature</c> over the raw body.
/// </summary>
public static class XSignatures
{
    public const string SignatureHeader = "x-twitter-webhooks-signature";

    private const string Prefix = "sha256=";

    public static string ResponseToken(string consumerSecret, string crcToken)
    {
        ArgumentNullException.ThrowIfNull(consumerSecret);
        ArgumentNullException.ThrowIfNull(crcToken);
        return Prefix + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(consumerSecret), Encoding.UTF8.GetBytes(crcToken)));
    }

    /// <summary>
    /// Whether <paramref name="header"/> is <c>sha256=</c> and the Base64 of the body's HMAC. The header is decoded to its
    /// 32 bytes and compared with <see cref="CryptographicOperations.FixedTimeEquals"/>; anything else is false.
    /// </summary>
    public static bool IsValid(string? header, string consumerSecret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(consumerSecret);
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes + 3];
        if (!Convert.TryFromBase64String(header[Prefix.Length..], given, out var written) || written != HMACSHA256.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(consumerSecret), body, expected);
        return CryptographicOperations.FixedTimeEquals(given[..written], expected);
    }
}
