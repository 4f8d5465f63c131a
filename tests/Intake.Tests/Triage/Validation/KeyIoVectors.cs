using Intake.Triage.Validation;

namespace Intake.Tests.Triage.Validation;

/// <summary>Helpers that turn the expected values of published test vectors into comparable bytes.</summary>
internal static class KeyIoVectors
{
    /// <summary>
    /// The 21-byte Base58Check payload (version + hash) of a P2PKH or P2SH address, from the scriptPubKey and
    /// chain name used in bitcoin/bitcoin key_io_valid.json.
    /// </summary>
    public static byte[] AddressPayload(string scriptPubKey, string chain)
    {
        var script = Convert.FromHexString(scriptPubKey);
        var main = chain == "main";
        if (script is [0x76, 0xa9, 0x14, .., 0x88, 0xac] && script.Length == 25)
        {
            return [main ? (byte)0x00 : (byte)0x6f, .. script.AsSpan(3, 20)];
        }

        if (script is [0xa9, 0x14, .., 0x87] && script.Length == 23)
        {
            return [main ? (byte)0x05 : (byte)0xc4, .. script.AsSpan(2, 20)];
        }

        throw new ArgumentException($"Not a P2PKH or P2SH script: {scriptPubKey}", nameof(scriptPubKey));
    }

    /// <summary>
    /// Decodes a segwit address with <see cref="Bech32.Decode"/> and rebuilds the scriptPubKey it stands for
    /// (OP_n, push of the witness program), as listed in BIP-173 / BIP-350 and key_io_valid.json.
    /// </summary>
    public static byte[] SegwitScriptPubKey(string address)
    {
        var data5 = new byte[Bech32.MaxLength];
        var encoding = Bech32.Decode(address, data5, out _, out var dataLength);
        Assert.NotEqual(Bech32Encoding.None, encoding);

        var version = data5[0];
        var program = new List<byte>();
        var accumulator = 0;
        var bits = 0;
        for (var i = 1; i < dataLength; i++)
        {
            accumulator = (accumulator << 5) | data5[i];
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                program.Add((byte)(accumulator >> bits));
                accumulator &= (1 << bits) - 1;
            }
        }

        return [version == 0 ? (byte)0 : (byte)(0x50 + version), (byte)program.Count, .. program];
    }
}
