using System.Security.Cryptography;

namespace Intake.Triage.Validation;

/// <summary>
/// BIP-39 mnemonic checksum check on word-list indices. Never throws and never allocates.
/// </summary>
internal static class Bip39Checksum
{
    private const int BitsPerWord = 11;
    private const int MaxWordIndex = 2047;
    private const int MaxWords = 24;

    /// <summary>
    /// True when the word count is 12, 15, 18, 21 or 24, every index is in 0–2047, and the trailing
    /// <c>words / 3</c> checksum bits of the concatenated 11-bit indices equal the leading bits of
    /// SHA256 of the <c>32 * words / 3</c> entropy bits before them.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<int> wordIndices)
    {
        var words = wordIndices.Length;
        if (words is not (12 or 15 or 18 or 21 or 24))
        {
            return false;
        }

        // 24 words * 11 bits = 264 bits = 33 bytes.
        Span<byte> bits = stackalloc byte[(MaxWords * BitsPerWord) / 8];
        bits.Clear();
        var position = 0;
        foreach (var index in wordIndices)
        {
            if ((uint)index > MaxWordIndex)
            {
                return false;
            }

            for (var bit = BitsPerWord - 1; bit >= 0; bit--, position++)
            {
                if (((index >> bit) & 1) != 0)
                {
                    bits[position >> 3] |= (byte)(0x80 >> (position & 7));
                }
            }
        }

        var checksumBits = words / 3;
        var entropyBytes = checksumBits * 4;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bits[..entropyBytes], hash);

        // At most 8 checksum bits, all in the byte right after the entropy.
        var mask = (byte)(0xFF << (8 - checksumBits));
        return (bits[entropyBytes] & mask) == (hash[0] & mask);
    }
}
