using System.Buffers.Binary;

namespace Intake.Triage.Validation;

/// <summary>
/// Recognisers for Base58Check-encoded Bitcoin and TRON addresses, WIF private keys and BIP-32 extended keys.
/// Never throw and never allocate.
/// </summary>
internal static class CryptoKeys
{
    private const int AddressPayloadLength = 21;
    private const int ExtendedKeyPayloadLength = 78;
    private const int ExtendedKeyDataOffset = 45;
    private const int MinExtendedKeyLength = 107;
    private const int MaxExtendedKeyLength = 113;

    // Large enough for every payload checked here (78 bytes for extended keys).
    private const int PayloadBufferLength = 80;

    /// <summary>
    /// True for a Base58Check Bitcoin address of 25–35 characters whose 21-byte payload starts with version
    /// 0x00 (P2PKH), 0x05 (P2SH), 0x6f (testnet P2PKH) or 0xc4 (testnet P2SH).
    /// </summary>
    public static bool IsBitcoinBase58Address(ReadOnlySpan<char> text)
    {
        if (text.Length is < 25 or > 35)
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[PayloadBufferLength];
        return Base58.TryDecodeCheck(text, payload, out var length)
            && length == AddressPayloadLength
            && payload[0] is 0x00 or 0x05 or 0x6f or 0xc4;
    }

    /// <summary>True for a 34-character TRON address: 'T', Base58Check, 21-byte payload with version 0x41.</summary>
    public static bool IsTronAddress(ReadOnlySpan<char> text)
    {
        if (text.Length != 34 || text[0] != 'T')
        {
            return false;
        }

        Span<byte> payload = stackalloc byte[PayloadBufferLength];
        return Base58.TryDecodeCheck(text, payload, out var length)
            && length == AddressPayloadLength
            && payload[0] == 0x41;
    }

    /// <summary>
    /// True for a WIF private key: Base58Check with version 0x80 (mainnet) or 0xef (testnet) and either a
    /// 33-byte payload (uncompressed) or a 34-byte payload ending in 0x01 (compressed).
    /// </summary>
    public static bool IsWif(ReadOnlySpan<char> text)
    {
        Span<byte> payload = stackalloc byte[PayloadBufferLength];
        if (!Base58.TryDecodeCheck(text, payload, out var length))
        {
            return false;
        }

        var shapeMatches = length == 33 || (length == 34 && payload[33] == 0x01);
        return shapeMatches && payload[0] is 0x80 or 0xef;
    }

    /// <summary>
    /// True for a BIP-32 extended private key (xprv, tprv, yprv, zprv, Yprv, Zprv, uprv, vprv): Base58Check,
    /// 78-byte payload, a known private version and key data of 0x00 followed by the 32-byte key.
    /// </summary>
    public static bool IsExtendedPrivateKey(ReadOnlySpan<char> text)
    {
        Span<byte> payload = stackalloc byte[PayloadBufferLength];
        return TryDecodeExtendedKey(text, payload, out var version)
            && IsPrivateVersion(version)
            && payload[ExtendedKeyDataOffset] == 0x00;
    }

    /// <summary>
    /// True for a BIP-32 extended public key (xpub, ypub, zpub, tpub): Base58Check, 78-byte payload, a known
    /// public version and key data that is a compressed public key (first byte 0x02 or 0x03).
    /// </summary>
    public static bool IsExtendedPublicKey(ReadOnlySpan<char> text)
    {
        Span<byte> payload = stackalloc byte[PayloadBufferLength];
        return TryDecodeExtendedKey(text, payload, out var version)
            && version is 0x0488B21E or 0x049D7CB2 or 0x04B24746 or 0x043587CF
            && payload[ExtendedKeyDataOffset] is 0x02 or 0x03;
    }

    /// <summary>
    /// Shape-only check used to redact mistyped extended private keys: 107–113 characters, starting with one of
    /// the eight private-key prefixes and otherwise made only of Base58 characters. No checksum is verified.
    /// </summary>
    public static bool LooksLikeExtendedPrivateKey(ReadOnlySpan<char> text)
    {
        if (text.Length is < MinExtendedKeyLength or > MaxExtendedKeyLength || !HasPrivatePrefix(text))
        {
            return false;
        }

        foreach (var c in text[4..])
        {
            if (!Base58.IsBase58Char(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecodeExtendedKey(ReadOnlySpan<char> text, Span<byte> payload, out uint version)
    {
        version = 0;
        if (!Base58.TryDecodeCheck(text, payload, out var length) || length != ExtendedKeyPayloadLength)
        {
            return false;
        }

        version = BinaryPrimitives.ReadUInt32BigEndian(payload);
        return true;
    }

    private static bool IsPrivateVersion(uint version) => version is
        0x0488ADE4 // xprv
        or 0x04358394 // tprv
        or 0x049D7878 // yprv
        or 0x04B2430C // zprv
        or 0x0295B005 // Yprv
        or 0x02AA7A99 // Zprv
        or 0x044A4E28 // uprv
        or 0x045F18BC; // vprv

    private static bool HasPrivatePrefix(ReadOnlySpan<char> text)
    {
        if (!text[1..4].SequenceEqual("prv"))
        {
            return false;
        }

        return text[0] is 'x' or 't' or 'y' or 'z' or 'Y' or 'Z' or 'u' or 'v';
    }
}
