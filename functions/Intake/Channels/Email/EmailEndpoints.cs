using System.Net.Http.Headers;
using System.Text;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Email;

/// <summary>
/// <c>POST /api/intake/email</c>, SendGrid Inbound Parse (parsed fields or raw MIME). 404 while the channel is off; 401
/// with <c>WWW-Authenticate</c> without the right basic-auth credentials; 415 for anything but multipart/form-data; 413
/// over 30 MB; 400 for a post that holds no mail (a mail without a usable sender is still kept). Each refusal is logged with its reason code. Everything else is 200: SendGrid retries only 5xx, which only a
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
            return Refuse(intake, EmailRefusal.ChannelOff, "Inbound email is not configured.", StatusCodes.Status404NotFound);
        }

        if (!IsAuthorized(http.Request.Headers.Authorization.ToString(), settings))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"intake\"";
            return Refuse(intake, EmailRefusal.BadCredentials, "Missing or wrong credentials.", StatusCodes.Status401Unauthorized);
        }

        var contentType = http.Request.ContentType;
        if (!RequestChecks.IsMediaType(contentType, "multipart/form-data"))
        {
            return Refuse(intake, EmailRefusal.NotMultipart, "Send multipart/form-data, as SendGrid Inbound Parse does.", StatusCodes.Status415UnsupportedMediaType);
        }

        var read = await RequestChecks.ReadBodyAsync(http, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            return Refuse(intake, EmailRefusal.TooLarge, $"The request is larger than {MaxBodyBytes / (1024 * 1024)} MB.", StatusCodes.Status413PayloadTooLarge);
        }

        // The buffer's own array, read in place: a mail of 30 MB is not copied again.
        using var body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.WrittenMemory, out var bytes)
            ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
            : new MemoryStream(read.WrittenMemory.ToArray(), writable: false);
        var form = await InboundParseForm.ReadAsync(contentType!, body, cancellationToken).ConfigureAwait(false);
        if (form is null)
        {
            return Refuse(intake, EmailRefusal.MalformedForm, "The body is not well-formed multipart/form-data.", StatusCodes.Status400BadRequest);
        }

        var (email, refusal, error) = EmailParser.Read(form);
        if (email is null)
        {
            return Refuse(intake, refusal, error, StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await intake.AcceptAsync(email, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A refusal: logged by its code (SendGrid's own log says only the status), answered with ProblemDetails.</summary>
    private static ProblemHttpResult Refuse(EmailIntake intake, EmailRefusal reason, string? detail, int status)
    {
        intake.Refused(reason, status);
        return TypedResults.Problem(detail, statusCode: status);
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

        var user = RequestChecks.SecretEquals(decoded[..colon], settings.InboundUser!);
        var password = RequestChecks.SecretEquals(decoded[(colon + 1)..], settings.InboundPassword!);
        return user & password;
    }
}
