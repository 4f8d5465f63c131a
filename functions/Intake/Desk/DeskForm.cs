using System.Text;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Intake.Desk;

/// <summary>A desk form as posted (<c>application/x-www-form-urlencoded</c>, UTF-8): each field's first value.</summary>
internal sealed class DeskForm(Dictionary<string, string> fields)
{
    /// <summary>A reply of <see cref="Agents.AgentRequests.MaxTextLength"/> characters, every one percent-encoded from four UTF-8 bytes, fits.</summary>
    public const int MaxBytes = 160 * 1024;

    public string? this[string name] => fields.TryGetValue(name, out var value) ? value : null;

    /// <summary>How reading went: the form, or the status a page says instead (413 too large, 415 not a form, 400 not UTF-8).</summary>
    public static async Task<(DeskForm? Form, int Status)> ReadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!RequestChecks.IsMediaType(http.Request.ContentType, "application/x-www-form-urlencoded"))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await RequestChecks.ReadBodyAsync(http, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            return (null, StatusCodes.Status400BadRequest);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(text.StartsWith('?') ? text : "?" + text))
        {
            if (values.Count > 0 && values[0] is { } first)
            {
                fields.TryAdd(key, first);
            }
        }

        return (new DeskForm(fields), StatusCodes.Status200OK);
    }
}
