using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Intake.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Intake.Channels.WebForm;

/// <summary>
/// Signed links to a ticket's status page: the token is an HMAC of the reference, so knowing a reference alone shows
/// nothing. Without <c>Intake:SigningKey</c>, Development signs with a key made at start-up (links last until restart).
/// </summary>
public sealed class StatusLinks
{
    private readonly byte[] _key;
    private readonly string? _publicBaseUrl;

    public StatusLinks(IOptions<IntakeOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _publicBaseUrl = options.Value.PublicBaseUrl?.TrimEnd('/');
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

    public string Token(string reference)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("status|" + reference), mac);
        return Base64Url.EncodeToString(mac[..18]);
    }

    public bool IsValid(string reference, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Token(reference));
        var given = Encoding.UTF8.GetBytes(token);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>The status page's address, from <c>Intake:PublicBaseUrl</c> or else the address the request came to.</summary>
    public string Url(string reference, string requestBaseUrl) =>
        $"{_publicBaseUrl ?? requestBaseUrl.TrimEnd('/')}/support/status/{Uri.EscapeDataString(reference)}?token={Token(reference)}";
}
