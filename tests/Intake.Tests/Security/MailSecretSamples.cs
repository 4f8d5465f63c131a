using System.Security.Cryptography;
using System.Text;
using Intake.Triage.Validation;

namespace Intake.Tests.Security;

/// <summary>
/// Secrets as customers attach them, made up for each test: BIP-39 phrases with a valid checksum from random entropy
/// (never a real wallet's), a PEM private-key block, an Ethereum keystore, a Berkeley DB wallet header. Tests assert
/// on where these end up and never print them.
/// </summary>
internal static class MailSecretSamples
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> Lists = new(StringComparer.Ordinal);

    /// <summary>Twelve words of the named BIP-39 list (<c>english</c>, <c>chinese_simplified</c>…) with a valid checksum, different on every call.</summary>
    public static string Phrase(string language = "english")
    {
        var list = Lists.GetOrAdd(language, Load);
        var entropy = RandomNumberGenerator.GetBytes(16);
        var checksum = SHA256.HashData(entropy)[0] >> 4;
        var bits = new System.Numerics.BigInteger([.. entropy.Reverse(), 0]);
        bits = (bits << 4) | checksum;
        var words = new string[12];
        for (var i = 11; i >= 0; i--)
        {
            words[i] = list[(int)(bits & 2047)];
            bits >>= 11;
        }

        var phrase = string.Join(' ', words);
        return Bip39Checksum.IsValid([.. words.Select(w => Array.IndexOf(list, w))]) ? phrase : throw new InvalidOperationException("Checksum built wrong.");
    }

    /// <summary>Distinct words of a phrase, for asserting that none of them was stored.</summary>
    public static string[] Words(string phrase) => [.. phrase.Split(' ').Distinct(StringComparer.Ordinal)];

    /// <summary>A PEM private-key block with random body (not a parseable key; only its shape matters).</summary>
    public static string PemBlock(string label = "PRIVATE KEY") =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))}\n{Convert.ToBase64String(RandomNumberGenerator.GetBytes(48))}\n-----END {label}-----\n";

    /// <summary>An Ethereum keystore (v3): encrypted, yet with a weak password it is the wallet.</summary>
    public static string Keystore() => $$"""
        {"address":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}}","crypto":{"cipher":"aes-128-ctr","ciphertext":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}",
        "cipherparams":{"iv":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}}"},"kdf":"scrypt","kdfparams":{"dklen":32,"n":262144,"p":1,"r":8,
        "salt":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}"},"mac":"{{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}}"},
        "id":"{{Guid.NewGuid()}}","version":3}
        """;

    /// <summary>The first page of a Berkeley DB B-tree file, as Bitcoin Core's legacy <c>wallet.dat</c> starts.</summary>
    public static byte[] BerkeleyDbWallet()
    {
        var page = new byte[4096];
        RandomNumberGenerator.Fill(page.AsSpan(32));
        page.AsSpan(0, 32).Clear();
        BitConverter.TryWriteBytes(page.AsSpan(12), 0x00053162);
        return page;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Load(string language)
    {
        using var stream = typeof(Bip39Checksum).Assembly.GetManifestResourceStream($"Intake.Triage.Wordlists.{language}.txt")
            ?? throw new InvalidOperationException($"{language}.txt is not embedded in the Intake assembly.");
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
