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
}
