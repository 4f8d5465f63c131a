using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Intake.Channels.WebForm;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Email;

/// <summary>
/// <c>POST /api/intake/email</c>, SendGrid Inbound Parse (parsed fields or raw MIME). 404 while the channel is off; 401
/// with <c>WWW-Authenticate</c> without the right basic-auth credentials; 415 for anything but multipart/form-data; 413
/// over 30 MB; 400 for a malformed post or mail. Everything else is 200: SendGrid retries only 5xx, which only a
/// storage failure may cause (and deduplication makes the retry safe).
/// </summary>
public static class EmailEndpoints
{
    /// <summary>SendGrid posts at most 30 MB.</summary>
    public const long MaxBodyBytes = 30 * 1024 * 1024;

    public static async Task<IResult> ReceiveAsync(HttpContext http, EmailIntake intake, IOptionsMonitor<EmailInboundOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsEnabled)
        {
            return TypedResults.Problem("Inbound email is not configured.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!IsAuthorized(http.Request.Headers.Authorization.ToString(), settings))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"intake\"";
            return TypedResults.Problem("Missing or wrong credentials.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var contentType = http.Request.ContentType;
        if (!WebFormEndpoints.IsMediaType(contentType, "multipart/form-data"))
        {
            return TypedResults.Problem("Send multipart/form-data, as SendGrid Inbound Parse does.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        using var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {MaxBodyBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var form = await InboundParseForm.ReadAsync(contentType!, body, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return TypedResults.Problem("The body is not well-formed multipart/form-data.", statusCode: StatusCodes.Status400BadRequest);
        }

        var (email, error) = EmailParser.Read(form);
        if (email is null)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await intake.AcceptAsync(email, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Basic auth against the configured pair, in constant time (hashes of equal length, both compared).</summary>
    internal static bool IsAuthorized(string? authorization, EmailInboundOptions settings)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is not { Length: > 0 and <= 1024 } parameter)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var user = Same(decoded[..colon], settings.InboundUser!);
        var password = Same(decoded[(colon + 1)..], settings.InboundPassword!);
        return user & password;
    }

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The whole body in memory, or null when it is over the limit (declared or actual).</summary>
    private static async Task<MemoryStream?> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var declared = http.Request.ContentLength;
        if (declared > MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        var buffer = new MemoryStream(declared is { } length ? (int)length : 64 * 1024);
        try
        {
            var chunk = new byte[81920];
            while (await http.Request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) is var read and > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBodyBytes)
                {
                    await buffer.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await buffer.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        buffer.Position = 0;
        return buffer;
    }
}
