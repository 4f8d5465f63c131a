namespace Intake.Triage.Validation;

/// <summary>
/// Ethereum addresses and the EIP-55 mixed-case checksum. <see cref="IsValidAddress"/> and
/// <see cref="HasMixedCase"/> never throw and never allocate.
/// </summary>
internal static class Eip55
{
    private const int HexDigits = 40;
    private const int AddressLength = HexDigits + 2;

    /// <summary>
    /// True for <c>0x</c> followed by exactly 40 hex digits, where the digits are either all-lowercase or
    /// all-uppercase (no checksum) or mixed case matching the EIP-55 checksum.
    /// </summary>
    public static bool IsValidAddress(ReadOnlySpan<char> text)
    {
        if (text.Length != AddressLength || text[0] != '0' || text[1] != 'x')
        {
            return false;
        }

        var hex = text[2..];
        var hasLower = false;
        var hasUpper = false;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            hasLower |= c >= 'a';
            hasUpper |= c is >= 'A' and <= 'F';
        }

        if (!(hasLower && hasUpper))
        {
            return true;
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashSizeInBytes];
        HashLowercaseHex(hex, hash);
        for (var i = 0; i < HexDigits; i++)
        {
            var c = hex[i];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }

            if (char.IsAsciiLetterUpper(c) != IsUppercaseNibble(hash, i))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when the text, after an optional <c>0x</c> / <c>0X</c> prefix, contains both lowercase and
    /// uppercase ASCII letters, i.e. it claims to carry an EIP-55 checksum.
    /// </summary>
    public static bool HasMixedCase(ReadOnlySpan<char> text)
    {
        if (text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            text = text[2..];
        }

        var hasLower = false;
        var hasUpper = false;
        foreach (var c in text)
        {
            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
            if (hasLower && hasUpper)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns the EIP-55 checksummed form (<c>0x</c> + 40 mixed-case hex digits) of an address given as
    /// 40 hex digits in any case, with or without a <c>0x</c> prefix. Allocates; intended for tests and diagnostics.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not 40 hex digits with an optional <c>0x</c> prefix.</exception>
    public static string ToChecksumAddress(ReadOnlySpan<char> text)
    {
        if (text.Length == AddressLength && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        {
            text = text[2..];
        }

        if (text.Length != HexDigits || text.ContainsAnyExcept(HexChars))
        {
            throw new ArgumentException("Expected 40 hex digits with an optional 0x prefix.", nameof(text));
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashSizeInBytes];
        HashLowercaseHex(text, hash);
        Span<char> result = stackalloc char[AddressLength];
        result[0] = '0';
        result[1] = 'x';
        for (var i = 0; i < HexDigits; i++)
        {
            var c = char.ToLowerInvariant(text[i]);
            result[i + 2] = char.IsAsciiLetter(c) && IsUppercaseNibble(hash, i) ? char.ToUpperInvariant(c) : c;
        }

        return new string(result);
    }

    private static ReadOnlySpan<char> HexChars => "0123456789abcdefABCDEF";

    private static void HashLowercaseHex(ReadOnlySpan<char> hex, Span<byte> hash)
    {
        Span<byte> ascii = stackalloc byte[HexDigits];
        for (var i = 0; i < HexDigits; i++)
        {
            ascii[i] = (byte)(hex[i] | 0x20);
        }

        Keccak256.Hash(ascii, hash);
    }

    // Hex digit i of the hash, as a nibble, is 8 or more.
    private static bool IsUppercaseNibble(ReadOnlySpan<byte> hash, int i)
    {
        var b = hash[i / 2];
        var nibble = (i & 1) == 0 ? b >> 4 : b & 0xF;
        return nibble >= 8;
    }
}
