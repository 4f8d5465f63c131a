using System.Text;
using System.Text.Json;
using Intake.Web;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Intake.Channels.Email;

/// <summary>A file part of the Inbound Parse post (<c>attachment1</c>…, or a file-shaped <c>email</c> field).</summary>
internal sealed record FormFile(string Field, string? FileName, string? ContentType, byte[] Content);

/// <summary>
/// The fields of a SendGrid Inbound Parse post, kept as bytes until read: SendGrid passes each field in the charset
/// the mail used and names it in <c>charsets</c> (<c>{"subject":"GB2312","text":"Big5",...}</c>), so a field is decoded
/// with that charset. A field with no charset named, named UTF-8 or US-ASCII but not valid as such (8-bit text a client
/// sent undeclared), or named a single-byte Western charset over bytes that are UTF-8 or East Asian, is decoded as
/// <see cref="EmailCharsets.Choose"/> detects it.
/// </summary>
internal sealed class InboundParseForm
{
    /// <summary>More parts than any real mail has: the cap keeps a hostile post from costing more than its bytes.</summary>
    private const int MaxParts = 1_000;

    private readonly Dictionary<string, byte[]> _fields = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string>? _charsets;

    public List<FormFile> Files { get; } = [];

    public bool Has(string name) => _fields.ContainsKey(name) || Files.Any(f => string.Equals(f.Field, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The field's raw bytes (a file part of that name counts too), or null.</summary>
    public byte[]? Bytes(string name) =>
        _fields.TryGetValue(name, out var bytes) ? bytes : Files.FirstOrDefault(f => string.Equals(f.Field, name, StringComparison.OrdinalIgnoreCase))?.Content;

    /// <summary>
    /// The field decoded with the charset <c>charsets</c> names for it, as <see cref="EmailCharsets.Choose"/> takes it
    /// (detected where the name says nothing or cannot be right), or null when absent.
    /// </summary>
    public string? Text(string name)
    {
        var bytes = Bytes(name);
        return bytes is null ? null : EmailCharsets.Choose(CharsetOf(name), bytes).GetString(bytes);
    }

    /// <summary>The charset <c>charsets</c> names for the field, or null when it names none, or only UTF-8 or US-ASCII (left to detection).</summary>
    internal Encoding? EncodingFor(string field) =>
        EmailCharsets.Find(CharsetOf(field)) is { } encoding && !EmailCharsets.IsUtf8OrAscii(encoding) ? encoding : null;

    private string? CharsetOf(string field)
    {
        _charsets ??= ReadCharsets(_fields.GetValueOrDefault("charsets"));
        return _charsets.GetValueOrDefault(field);
    }

    private static Dictionary<string, string> ReadCharsets(byte[]? json)
    {
        var charsets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (json is null)
        {
            return charsets;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in document.RootElement.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.String && JsonText.Get(entry.Value) is { Length: > 0 } charset)
                    {
                        charsets[entry.Name] = charset;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A broken charsets field leaves every field UTF-8: better than refusing the mail.
        }

        return charsets;
    }

    /// <summary>Reads a whole <c>multipart/form-data</c> body; null when it is not well-formed multipart.</summary>
    public static async Task<InboundParseForm?> ReadAsync(string contentType, Stream body, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return null;
        }

        var form = new InboundParseForm();
        var reader = new MultipartReader(boundary, body) { HeadersCountLimit = 32, HeadersLengthLimit = 16 * 1024 };
        try
        {
            var parts = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (++parts > MaxParts
                    || !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
                {
                    return null;
                }

                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                if (disposition.IsFileDisposition())
                {
                    var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    form.Files.Add(new FormFile(name, fileName, section.ContentType, content.ToArray()));
                }
                else
                {
                    form._fields[name] = content.ToArray();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            // MultipartReader's words for a truncated or malformed body: IOException when it ends early,
            // InvalidDataException (not an IOException) past the header limits.
            return null;
        }

        return form;
    }
}
