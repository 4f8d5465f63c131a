namespace Intake.Triage.Validation;

/// <summary>Which checksum constant a Bech32-family string satisfies.</summary>
internal enum Bech32Encoding
{
    /// <summary>Not a valid Bech32 or Bech32m string.</summary>
    None,

    /// <summary>BIP-173 Bech32 (checksum constant 1).</summary>
    Bech32,

    /// <summary>BIP-350 Bech32m (checksum constant 0x2bc830a3).</summary>
    Bech32m,
}

/// <summary>
/// Bech32 / Bech32m decoding (BIP-173, BIP-350) and segwit address validation.
/// Never throws and never allocates.
/// </summary>
internal static class Bech32
{
    /// <summary>Longest valid Bech32 string.</summary>
    public const int MaxLength = 90;

    private const int ChecksumLength = 6;
    private const int MaxHrpLength = 83;
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    // 5-bit value of each lowercase ASCII character of "qpzry9x8gf2tvdw0s3jn54khce6mua7l", -1 otherwise.
    private static ReadOnlySpan<sbyte> CharsetMap =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        15, -1, 10, 17, 21, 20, 26, 30, 7, 5, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 29, -1, 24, 13, 25, 9, 8, 23, -1, 18, 22, 31, 27, 19, -1,
        1, 0, 3, 16, 11, 28, 12, 14, 6, 4, 2, -1, -1, -1, -1, -1,
    ];

    private static ReadOnlySpan<uint> Generator => [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    /// <summary>
    /// Decodes a Bech32 or Bech32m string per BIP-173 / BIP-350: at most 90 characters, no mixed case,
    /// a human-readable part of 1–83 characters in the range 33–126, the last '1' as separator, and at least
    /// six checksum characters. On success <paramref name="data5"/> receives the 5-bit data values without the
    /// checksum, <paramref name="hrpLength"/> is the length of the human-readable part (which is
    /// <c>text[..hrpLength]</c>) and <paramref name="dataLength"/> the number of values written.
    /// Returns <see cref="Bech32Encoding.None"/> (with both lengths 0) for invalid input or when
    /// <paramref name="data5"/> is too small.
    /// </summary>
    public static Bech32Encoding Decode(ReadOnlySpan<char> text, Span<byte> data5, out int hrpLength, out int dataLength)
    {
        hrpLength = 0;
        dataLength = 0;
        if (text.Length > MaxLength)
        {
            return Bech32Encoding.None;
        }

        var hasLower = false;
        var hasUpper = false;
        var separator = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 33 || c > 126)
            {
                return Bech32Encoding.None;
            }

            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
            if (c == '1')
            {
                separator = i;
            }
        }

        if ((hasLower && hasUpper) || separator < 1 || separator > MaxHrpLength)
        {
            return Bech32Encoding.None;
        }

        var valueCount = text.Length - separator - 1;
        if (valueCount < ChecksumLength || valueCount - ChecksumLength > data5.Length)
        {
            return Bech32Encoding.None;
        }

        var hrp = text[..separator];
        uint checksum = 1;
        foreach (var c in hrp)
        {
            checksum = PolymodStep(checksum, (uint)(char.ToLowerInvariant(c) >> 5));
        }

        checksum = PolymodStep(checksum, 0);
        foreach (var c in hrp)
        {
            checksum = PolymodStep(checksum, (uint)(char.ToLowerInvariant(c) & 31));
        }

        var data = text[(separator + 1)..];
        for (var i = 0; i < data.Length; i++)
        {
            var value = CharsetMap[char.ToLowerInvariant(data[i])];
            if (value < 0)
            {
                return Bech32Encoding.None;
            }

            checksum = PolymodStep(checksum, (uint)value);
            if (i < data.Length - ChecksumLength)
            {
                data5[i] = (byte)value;
            }
        }

        var encoding = checksum switch
        {
            Bech32Constant => Bech32Encoding.Bech32,
            Bech32mConstant => Bech32Encoding.Bech32m,
            _ => Bech32Encoding.None,
        };

        if (encoding != Bech32Encoding.None)
        {
            hrpLength = separator;
            dataLength = valueCount - ChecksumLength;
        }

        return encoding;
    }

    /// <summary>
    /// True for a native segwit address (BIP-173 / BIP-350) with human-readable part <c>bc</c>, <c>tb</c> or
    /// <c>bcrt</c>: witness version 0 must use Bech32 with a 20- or 32-byte program, versions 1–16 must use
    /// Bech32m with a 2–40 byte program, and the 5-to-8-bit conversion may leave at most four zero bits of padding.
    /// </summary>
    public static bool IsSegwitAddress(ReadOnlySpan<char> text)
    {
        Span<byte> data5 = stackalloc byte[MaxLength];
        var encoding = Decode(text, data5, out var hrpLength, out var dataLength);
        if (encoding == Bech32Encoding.None || dataLength < 1 || !IsBitcoinHrp(text[..hrpLength]))
        {
            return false;
        }

        var version = data5[0];
        if (version > 16
            || (version == 0 && encoding != Bech32Encoding.Bech32)
            || (version != 0 && encoding != Bech32Encoding.Bech32m))
        {
            return false;
        }

        // Regroup the program's 5-bit values into bytes; only count them, the bytes themselves are not needed.
        var programLength = 0;
        var bits = 0;
        uint accumulator = 0;
        foreach (var value in data5[1..dataLength])
        {
            accumulator = ((accumulator << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                programLength++;
            }
        }

        var padding = accumulator & ((1u << bits) - 1);
        if (bits > 4 || padding != 0)
        {
            return false;
        }

        return version == 0
            ? programLength is 20 or 32
            : programLength is >= 2 and <= 40;
    }

    private static bool IsBitcoinHrp(ReadOnlySpan<char> hrp) =>
        hrp.Equals("bc", StringComparison.OrdinalIgnoreCase)
        || hrp.Equals("tb", StringComparison.OrdinalIgnoreCase)
        || hrp.Equals("bcrt", StringComparison.OrdinalIgnoreCase);

    private static uint PolymodStep(uint checksum, uint value)
    {
        var top = checksum >> 25;
        checksum = ((checksum & 0x1ffffff) << 5) ^ value;
        for (var i = 0; i < 5; i++)
        {
            if (((top >> i) & 1) != 0)
            {
                checksum ^= Generator[i];
            }
        }

        return checksum;
    }
}
