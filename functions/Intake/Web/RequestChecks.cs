using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Intake.Web;

/// <summary>What every inbound endpoint checks before it believes anything: the content type, the size of the body, and secrets.</summary>
internal static class RequestChecks
{
    /// <summary>Whether a <c>Content-Type</c> names <paramref name="expected"/>, in any case and with any parameters.</summary>
    public static bool IsMediaType(string? contentType, string expected) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The body, or null when it is over <paramref name="maxBytes"/>, declared or actual (the caller answers 413).
    /// The server's own limit is raised or lowered to just past it, so that a body that lies about its length is cut
    /// off there rather than read to the end.
    /// </summary>
    public static async Task<ArrayBufferWriter<byte>?> ReadBodyAsync(HttpContext http, long maxBytes, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        // Sized by the declared length, but never more than 1 MB ahead of what has arrived.
        var buffer = new ArrayBufferWriter<byte>(http.Request.ContentLength is > 0 and var length ? (int)Math.Min(length, Math.Min(maxBytes, 1 << 20)) : 4096);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(81920), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a secret someone sent is ours, in constant time whatever the input: both sides are hashed first, so
    /// neither the content nor the length of the secret leaks through timing.
    /// </summary>
    public static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
