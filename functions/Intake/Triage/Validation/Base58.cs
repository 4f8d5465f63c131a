using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Intake.Triage.Validation;

/// <summary>
/// Base58 and Base58Check (Bitcoin alphabet) decoding. The decoders never throw and never allocate:
/// they work on stack buffers and reject anything longer than <see cref="MaxInputLength"/> characters.
/// </summary>
internal static class Base58
{
    /// <summary>Longest input the decoders accept. Every Base58 key or address we care about is shorter.</summary>
    public const int MaxInputLength = 120;

    /// <summary>Largest number of bytes an accepted input can decode to (an all-'1' string of maximum length).</summary>
    public const int MaxDecodedLength = MaxInputLength;

    private const int ChecksumLength = 4;

    // Five Base58 digits fit in 32 bits: 58^5 = 656,356,768.
    private const int DigitsPerChunk = 5;

    // 120 digits carry at most 120 * log2(58) ~ 703 bits, i.e. 22 limbs of 32 bits.
    private const int MaxLimbs = 24;

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // Digit value for each ASCII code point, -1 for characters outside the alphabet.
    private static ReadOnlySpan<sbyte> DigitMap =>
    [
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1,
        -1, 9, 10, 11, 12, 13, 14, 15, 16, -1, 17, 18, 19, 20, 21, -1,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, -1, -1, -1, -1, -1,
        -1, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, -1, 44, 45, 46,
        47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, -1, -1, -1, -1, -1,
    ];

    /// <summary>Returns the value (0–57) of a Base58 digit, or -1 when <paramref name="c"/> is not in the alphabet.</summary>
    public static int DigitValue(char c) => c < 128 ? DigitMap[c] : -1;

    /// <summary>True when <paramref name="c"/> belongs to the Bitcoin Base58 alphabet.</summary>
    public static bool IsBase58Char(char c) => DigitValue(c) >= 0;

    /// <summary>
    /// Decodes Base58 text. Leading '1' characters become leading zero bytes.
    /// Returns false for characters outside the alphabet, input longer than <see cref="MaxInputLength"/>,
    /// or a <paramref name="destination"/> that is too small; <paramref name="written"/> is then 0.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length > MaxInputLength)
        {
            return false;
        }

        var zeros = 0;
        while (zeros < text.Length && text[zeros] == '1')
        {
            zeros++;
        }

        // Little-endian 32-bit limbs of the big number formed by the digits after the leading '1's.
        Span<uint> limbs = stackalloc uint[MaxLimbs];
        var used = 0;
        var i = zeros;
        while (i < text.Length)
        {
            uint multiplier = 1;
            uint addend = 0;
            for (var k = 0; k < DigitsPerChunk && i < text.Length; k++, i++)
            {
                var digit = DigitValue(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                addend = (addend * 58) + (uint)digit;
                multiplier *= 58;
            }

            ulong carry = addend;
            for (var j = 0; j < used; j++)
            {
                carry += (ulong)limbs[j] * multiplier;
                limbs[j] = (uint)carry;
                carry >>= 32;
            }

            if (carry != 0)
            {
                limbs[used++] = (uint)carry;
            }
        }

        // Bytes in use, minus the leading zero bytes of the most significant limb.
        var significant = used == 0 ? 0 : (used * 4) - (BitOperations.LeadingZeroCount(limbs[used - 1]) / 8);

        var total = zeros + significant;
        if (total > destination.Length)
        {
            return false;
        }

        destination[..zeros].Clear();
        var position = total - 1;
        for (var j = 0; j < used && position >= zeros; j++)
        {
            var limb = limbs[j];
            for (var b = 0; b < 4 && position >= zeros; b++, position--)
            {
                destination[position] = (byte)limb;
                limb >>= 8;
            }
        }

        written = total;
        return true;
    }

    /// <summary>
    /// Decodes Base58Check text: the decoded bytes are a payload followed by the first four bytes of
    /// SHA256(SHA256(payload)). Returns false for invalid text, a bad checksum, or a
    /// <paramref name="payload"/> buffer that is too small; <paramref name="payloadLength"/> is then 0.
    /// </summary>
    public static bool TryDecodeCheck(ReadOnlySpan<char> text, Span<byte> payload, out int payloadLength)
    {
        payloadLength = 0;
        Span<byte> decoded = stackalloc byte[MaxDecodedLength];
        if (!TryDecode(text, decoded, out var written) || written < ChecksumLength)
        {
            return false;
        }

        var body = decoded[..(written - ChecksumLength)];
        if (body.Length > payload.Length)
        {
            return false;
        }

        Span<byte> first = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, first);
        SHA256.HashData(first, hash);
        if (!hash[..ChecksumLength].SequenceEqual(decoded.Slice(written - ChecksumLength, ChecksumLength)))
        {
            return false;
        }

        body.CopyTo(payload);
        payloadLength = body.Length;
        return true;
    }

    /// <summary>Encodes bytes as Base58. Allocates; intended for tests and diagnostics, not the hot path.</summary>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        var zeros = 0;
        while (zeros < data.Length && data[zeros] == 0)
        {
            zeros++;
        }

        // Big-endian base-58 digits; log(256) / log(58) < 1.37.
        var digits = new byte[((data.Length - zeros) * 137 / 100) + 1];
        var length = 0;
        for (var i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (var j = 0; j < length; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }

            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        var builder = new StringBuilder(zeros + length);
        builder.Append('1', zeros);
        for (var j = length - 1; j >= 0; j--)
        {
            builder.Append(Alphabet[digits[j]]);
        }

        return builder.ToString();
    }

    /// <summary>Encodes a payload as Base58Check. Allocates; intended for tests and diagnostics.</summary>
    public static string EncodeCheck(ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[payload.Length + ChecksumLength];
        payload.CopyTo(buffer);
        var hash = SHA256.HashData(SHA256.HashData(payload));
        hash.AsSpan(0, ChecksumLength).CopyTo(buffer.AsSpan(payload.Length));
        return Encode(buffer);
    }
}
