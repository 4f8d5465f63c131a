namespace Intake.Desk;

/// <summary>
/// The network an address or transaction hash belongs to, read from its shape as triage validated it (an EIP-55 or
/// all-lowercase <c>0x</c> address, a Bech32 or Base58Check Bitcoin address, a Tron address); a hash without
/// <c>0x</c> could be any of several chains, and says so.
/// </summary>
public static class EntityNetworks
{
    public const string Evm = "evm";
    public const string Bitcoin = "bitcoin";
    public const string Tron = "tron";
    public const string Unknown = "unknown";

    public static string OfAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address switch
        {
            _ when address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) => Evm,
            _ when address.StartsWith("bc1", StringComparison.OrdinalIgnoreCase) || address.StartsWith("tb1", StringComparison.OrdinalIgnoreCase) => Bitcoin,
            _ when address.StartsWith('T') && address.Length == 34 => Tron,
            _ when address.Length is >= 26 and <= 35 && address[0] is '1' or '3' or 'm' or 'n' or '2' => Bitcoin,
            _ => Unknown,
        };
    }

    public static string OfTransaction(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return hash.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? Evm : Unknown;
    }
}
