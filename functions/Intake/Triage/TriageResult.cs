using System.Text.Json.Serialization;

namespace Intake.Triage;

/// <summary>What triage decided about one message. Nothing in it holds a secret: see <see cref="RedactedText"/>.</summary>
public sealed record TriageResult(
    string Language,
    TicketCategory Category,
    Urgency Urgency,
    IReadOnlyList<SecretKind> Secrets,
    IReadOnlyDictionary<SecretKind, int> Redactions,
    string RedactedText,
    TriageEntities Entities,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Rules)
{
    public bool SecretExposed => Flags.Contains(TriageFlags.SecretExposed);

    /// <summary>Where in the text triage read the redacted secrets were (positions only), sorted and apart, to cut parts of it out redacted.</summary>
    internal IReadOnlyList<SecretSpan> SecretSpans { get; init; } = [];
}

/// <summary>Values pulled out of the message, verbatim and validated; they are never redacted.</summary>
public sealed record TriageEntities(
    IReadOnlyList<string> TxHashes,
    IReadOnlyList<string> Addresses,
    IReadOnlyList<string> Assets,
    IReadOnlyList<string> Networks,
    IReadOnlyList<string> Amounts,
    IReadOnlyList<string> OrderIds)
{
    public static TriageEntities None { get; } = new([], [], [], [], [], []);

    /// <summary>Both sets, each value once, in order of first appearance (a follow-up adds to its ticket's entities).</summary>
    public TriageEntities Merge(TriageEntities other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Union(TxHashes, other.TxHashes),
            Union(Addresses, other.Addresses),
            Union(Assets, other.Assets),
            Union(Networks, other.Networks),
            Union(Amounts, other.Amounts),
            Union(OrderIds, other.OrderIds));
    }

    private static string[] Union(IReadOnlyList<string> first, IReadOnlyList<string> second) => [.. first.Concat(second).Distinct(StringComparer.Ordinal)];
}

public static class TriageFlags
{
    public const string SecretExposed = "secret_exposed";
    public const string PhishingVictim = "phishing_victim";
    public const string AddressChecksumMismatch = "address_checksum_mismatch";
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketCategory>))]
public enum TicketCategory
{
    [JsonStringEnumMemberName("security")] Security,
    [JsonStringEnumMemberName("account_access")] AccountAccess,
    [JsonStringEnumMemberName("withdrawal")] Withdrawal,
    [JsonStringEnumMemberName("deposit")] Deposit,
    [JsonStringEnumMemberName("phishing_report")] PhishingReport,
    [JsonStringEnumMemberName("trading")] Trading,
    [JsonStringEnumMemberName("api")] Api,
    [JsonStringEnumMemberName("verification")] Verification,
    [JsonStringEnumMemberName("fees_limits")] FeesLimits,
    [JsonStringEnumMemberName("wallet_web3")] WalletWeb3,
    [JsonStringEnumMemberName("general")] General,
    [JsonStringEnumMemberName("feedback")] Feedback,
}

/// <summary>Ordered from least to most urgent, so urgencies compare.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Urgency>))]
public enum Urgency
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("urgent")] Urgent,
}

[JsonConverter(typeof(JsonStringEnumConverter<SecretKind>))]
public enum SecretKind
{
    [JsonStringEnumMemberName("mnemonic")] Mnemonic,
    [JsonStringEnumMemberName("private_key")] PrivateKey,
    [JsonStringEnumMemberName("password")] Password,
    [JsonStringEnumMemberName("api_secret")] ApiSecret,
    [JsonStringEnumMemberName("otp")] Otp,
}

public static class TriageNames
{
    private static readonly string[] CategoryNames =
        ["security", "account_access", "withdrawal", "deposit", "phishing_report", "trading", "api", "verification", "fees_limits", "wallet_web3", "general", "feedback"];

    private static readonly string[] UrgencyNames = ["low", "normal", "high", "urgent"];

    private static readonly string[] SecretNames = ["mnemonic", "private_key", "password", "api_secret", "otp"];

    public static string ToName(this TicketCategory category) => CategoryNames[(int)category];

    public static string ToName(this Urgency urgency) => UrgencyNames[(int)urgency];

    public static string ToName(this SecretKind kind) => SecretNames[(int)kind];

    public static bool TryParseCategory(string name, out TicketCategory category) => TryParse(CategoryNames, name, out category);

    public static bool TryParseUrgency(string name, out Urgency urgency) => TryParse(UrgencyNames, name, out urgency);

    public static bool TryParseSecretKind(string name, out SecretKind kind) => TryParse(SecretNames, name, out kind);

    private static bool TryParse<T>(string[] names, string name, out T value)
        where T : struct, Enum
    {
        var index = Array.IndexOf(names, name);
        value = index < 0 ? default : (T)(object)index;
        return index >= 0;
    }
}
