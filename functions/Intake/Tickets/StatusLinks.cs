using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Intake.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Tickets;

/// <summary>
/// Signed links to the customer's pages of a ticket. A token is <c>{expiry, unix seconds}.{mac}</c>, the MAC the first
/// 18 bytes of HMAC-SHA256, base64url, over a domain-separated text:
/// <list type="bullet">
/// <item>status links (<c>/support/status/{reference}?token=</c>): <c>status|{reference}|{expiry}|{nonce}</c>, the nonce the
/// ticket's <see cref="Ticket.StatusNonce"/>, so that a new nonce (an agent's revocation, the contact's verification)
/// revokes every link given out before; they last <c>Intake:StatusLinkLifetime</c>;</item>
/// <item>verify links (<c>/support/verify/{reference}?token=</c>), which prove the contact's address: <c>verify|{reference}|{expiry}|{address}</c>;
/// they last <c>Intake:VerifyLinkLifetime</c>;</item>
/// <item>solved links (<c>/support/solved/{reference}?token=</c>), the acknowledgement's "this solved my problem, close my
/// ticket": <c>solved|{reference}|{expiry}|{nonce}</c>, revoked with the status links; they last <c>Intake:SolvedLinkLifetime</c>.</item>
/// </list>
/// Survey tokens have a key of their own. Tokens of the first format (a MAC of the reference alone, no expiry) open
/// nothing. Without <c>Intake:SigningKey</c>, Development signs with a key made at start-up (links last until restart).
/// </summary>
public sealed class StatusLinks
{
    public const string StatusPath = "/support/status/";
    public const string VerifyPath = "/support/verify/";
    public const string SolvedPath = "/support/solved/";

    /// <summary>What the thread keeps in place of a solved link.</summary>
    public const string SolvedPlaceholder = "[close ticket link]";

    /// <summary>What the thread keeps in place of a status link (as it does for a survey's): a token is never stored.</summary>
    public const string StatusPlaceholder = "[status link]";

    /// <summary>What the thread keeps in place of a verify link.</summary>
    public const string VerifyPlaceholder = "[verify link]";

    /// <summary>What a ticket stored before nonces existed is signed with.</summary>
    private const string LegacyNonce = "legacy";

    private const int MacBytes = 18;
    private const int MaxTokenLength = 64;

    private readonly byte[] _key;
    private readonly string? _publicBaseUrl;
    private readonly TimeSpan _statusLifetime;
    private readonly TimeSpan _verifyLifetime;
    private readonly TimeSpan _solvedLifetime;
    private readonly TimeProvider _time;

    public StatusLinks(IOptions<IntakeOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _publicBaseUrl = options.Value.PublicBaseUrl?.TrimEnd('/');
        _statusLifetime = options.Value.StatusLinkLifetime;
        _verifyLifetime = options.Value.VerifyLinkLifetime;
        _solvedLifetime = options.Value.SolvedLinkLifetime;
        if (options.Value.SigningKey is { Length: > 0 } key)
        {
            _key = Encoding.UTF8.GetBytes(key);
        }
        else if (environment.IsDevelopment())
        {
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
        {
            throw new InvalidOperationException($"{IntakeOptions.Section}:SigningKey is not configured; it signs the status links customers receive.");
        }
    }

    /// <summary>A status token for the ticket as it is now, valid for <c>Intake:StatusLinkLifetime</c>.</summary>
    public string Token(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Token(ticket.Reference, ticket.StatusNonce);
    }

    /// <summary>A status token for a reference and nonce (null: a ticket stored before nonces), valid for <c>Intake:StatusLinkLifetime</c>.</summary>
    public string Token(string reference, string? nonce) => Sign(Status(reference, nonce), _statusLifetime);

    /// <summary>Whether the token opens the ticket's status page: ours, for this reference and the ticket's current nonce, not expired.</summary>
    public bool IsValid(Ticket ticket, string? token)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Check(token, _statusLifetime, Status(ticket.Reference, ticket.StatusNonce));
    }

    /// <summary>A verify token for the ticket's contact address; none when the ticket has no address.</summary>
    public string? VerifyToken(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Contact.Email is { Length: > 0 } email ? Sign(Verify(ticket.Reference, email), _verifyLifetime) : null;
    }

    /// <summary>Whether the token proves the ticket's contact address: ours, for this reference and address, not expired.</summary>
    public bool IsValidVerify(Ticket ticket, string? token)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Contact.Email is { Length: > 0 } email && Check(token, _verifyLifetime, Verify(ticket.Reference, email));
    }

    /// <summary>Whether the token closes the ticket as solved: ours, for this reference and the ticket's current nonce, not expired.</summary>
    public bool IsValidSolved(Ticket ticket, string? token)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Check(token, _solvedLifetime, Solved(ticket.Reference, ticket.StatusNonce));
    }

    /// <summary>Whether a solved token could be valid at all (shape and expiry), before storage is read.</summary>
    public bool MayBeValidSolved(string? token) => Expiry(token, _solvedLifetime) is not null;

    /// <summary>The "this solved my problem, close my ticket" page's address for the ticket, with a fresh token.</summary>
    public string SolvedUrl(Ticket ticket, string requestBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var token = Sign(Solved(ticket.Reference, ticket.StatusNonce), _solvedLifetime);
        return $"{BaseUrl(requestBaseUrl)}{SolvedPath}{Uri.EscapeDataString(ticket.Reference)}?token={Uri.EscapeDataString(token)}";
    }

    /// <summary>
    /// Whether a token could be valid at all: shaped like ours and not expired. Decided without storage, so that a link
    /// that cannot open anything costs no read; the MAC needs the ticket (its nonce or address) and is checked after.
    /// </summary>
    public bool MayBeValid(string? token, bool verify = false) => Expiry(token, verify ? _verifyLifetime : _statusLifetime) is not null;

    /// <summary>The status page's address with a fresh token, from <c>Intake:PublicBaseUrl</c> or else the address the request came to.</summary>
    public string Url(Ticket ticket, string requestBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return Url(ticket.Reference, Token(ticket), requestBaseUrl);
    }

    /// <summary>The status page's address with a token the client already holds.</summary>
    public string Url(string reference, string token, string requestBaseUrl) =>
        $"{BaseUrl(requestBaseUrl)}{StatusPath}{Uri.EscapeDataString(reference)}?token={Uri.EscapeDataString(token)}";

    /// <summary>The verify page's address for the ticket's contact; null when the ticket has no address.</summary>
    public string? VerifyUrl(Ticket ticket, string requestBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return VerifyToken(ticket) is { } token
            ? $"{BaseUrl(requestBaseUrl)}{VerifyPath}{Uri.EscapeDataString(ticket.Reference)}?token={Uri.EscapeDataString(token)}"
            : null;
    }

    private string BaseUrl(string requestBaseUrl) => _publicBaseUrl ?? requestBaseUrl.TrimEnd('/');

    /// <summary>What a status token signs, but for its expiry: the domain first, so that no other token can pass for one.</summary>
    private static (string Domain, string Reference, string Tail) Status(string reference, string? nonce) => ("status", reference, nonce ?? LegacyNonce);

    private static (string Domain, string Reference, string Tail) Solved(string reference, string? nonce) => ("solved", reference, nonce ?? LegacyNonce);

    private static (string Domain, string Reference, string Tail) Verify(string reference, string email) => ("verify", reference, email.Trim().ToLowerInvariant());

    private string Sign((string Domain, string Reference, string Tail) signed, TimeSpan lifetime)
    {
        var expiry = (_time.GetUtcNow() + lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return expiry + "." + Mac(signed, expiry);
    }

    private bool Check(string? token, TimeSpan lifetime, (string Domain, string Reference, string Tail) signed)
    {
        if (Expiry(token, lifetime) is not { } expiry)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(signed, expiry));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(token![(expiry.Length + 1)..]));
    }

    /// <summary>
    /// The token's expiry as signed, when it is shaped like ours and still ahead, and no further ahead than the lifetime
    /// allows now (a shortened lifetime holds for links given out before too); else null.
    /// </summary>
    private string? Expiry(string? token, TimeSpan lifetime)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot is < 1 or > 12 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        return seconds > now && seconds <= now + (long)lifetime.TotalSeconds + 60 ? token[..dot] : null;
    }

    /// <summary>The variable-length part (the nonce, the address) comes last, after the fixed-shape ones, so that no two texts read alike.</summary>
    private string Mac((string Domain, string Reference, string Tail) signed, string expiry)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{signed.Domain}|{signed.Reference}|{expiry}|{signed.Tail}"), mac);
        return Base64Url.EncodeToString(mac[..MacBytes]);
    }
}
