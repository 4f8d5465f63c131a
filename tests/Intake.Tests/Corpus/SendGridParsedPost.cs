using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MimeKit;
using MimeKit.Utils;

namespace Intake.Tests.Corpus;

/// <summary>
/// A whole mail turned into the post SendGrid's Inbound Parse sends in its default (parsed) mode, as its documentation
/// describes the fields: <c>headers</c> (the top header block as received), <c>text</c> and <c>html</c> (the first such
/// body, transfer-decoded, left in its own charset, which <c>charsets</c> names), <c>from</c>, <c>to</c>, <c>cc</c>,
/// <c>subject</c>, <c>envelope</c>, <c>attachments</c> with <c>attachment-info</c> and a file part each. Where the mail
/// declares no charset, its bytes go as they are and <c>charsets</c> says nothing of them, as with raw 8-bit headers.
/// </summary>
internal static class SendGridParsedPost
{
    public static MultipartFormDataContent From(byte[] mime, string support)
    {
        // What an MTA never hands on: blank or indented lines before the first header (a test file's indentation).
        mime = TrimLeadingSpace(mime);
        var message = MimeMessage.Load(new MemoryStream(mime));
        var charsets = new Dictionary<string, string>(StringComparer.Ordinal);
        var content = new MultipartFormDataContent("----sendgrid-parsed-boundary-" + Guid.NewGuid().ToString("N"));
        void Add(string name, byte[] value) => content.Add(new ByteArrayContent(value), name);

        Add("headers", HeaderBlock(mime));
        AddHeader(message, "From", "from", Add, charsets);
        AddHeader(message, "To", "to", Add, charsets);
        AddHeader(message, "Cc", "cc", Add, charsets);
        AddHeader(message, "Subject", "subject", Add, charsets);

        var bodies = new Dictionary<string, TextPart>(StringComparer.Ordinal);
        var attachments = new List<MimeEntity>();
        Walk(message.Body, bodies, attachments);
        foreach (var (field, body) in bodies)
        {
            using var decoded = new MemoryStream();
            body.Content?.DecodeTo(decoded);
            Add(field, decoded.ToArray());
            if (body.ContentType.Charset is { Length: > 0 } charset)
            {
                charsets[field] = charset;
            }
        }

        var info = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = 0; i < attachments.Count; i++)
        {
            var key = $"attachment{i + 1}";
            var name = attachments[i].ContentDisposition?.FileName ?? attachments[i].ContentType.Name ?? (attachments[i] is MessagePart ? key + ".eml" : key);
            using var bytes = new MemoryStream();
            switch (attachments[i])
            {
                case MimePart part:
                    part.Content?.DecodeTo(bytes);
                    break;
                case MessagePart attached:
                    attached.Message?.WriteTo(bytes);
                    break;
            }

            var file = new ByteArrayContent(bytes.ToArray());
            file.Headers.ContentType = new MediaTypeHeaderValue(attachments[i].ContentType.MimeType);
            content.Add(file, key, name);
            info[key] = new { filename = name, name, type = attachments[i].ContentType.MimeType };
        }

        Add("attachments", Encoding.ASCII.GetBytes(attachments.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (info.Count > 0)
        {
            Add("attachment-info", JsonSerializer.SerializeToUtf8Bytes(info));
        }

        var sender = message.Headers[HeaderId.ReturnPath] is { } path && MailboxAddress.TryParse(path, out var returnPath)
            ? returnPath.Address
            : message.From.Mailboxes.FirstOrDefault()?.Address;
        Add("envelope", JsonSerializer.SerializeToUtf8Bytes(new { to = new[] { support }, from = sender }));
        Add("charsets", JsonSerializer.SerializeToUtf8Bytes(charsets));
        Add("sender_ip", "198.51.100.7"u8.ToArray());
        Add("spam_score", "0.3"u8.ToArray());
        Add("SPF", "none"u8.ToArray());
        return content;
    }

    /// <summary>The header field as SendGrid passes it: encoded words decoded to UTF-8, raw 8-bit bytes left as they came.</summary>
    private static void AddHeader(MimeMessage message, string header, string field, Action<string, byte[]> add, Dictionary<string, string> charsets)
    {
        if (message.Headers.FirstOrDefault(h => h.Field.Equals(header, StringComparison.OrdinalIgnoreCase)) is not { } found)
        {
            return;
        }

        var raw = found.RawValue.AsSpan().Trim("\r\n\t "u8).ToArray();
        if (raw.Any(b => b >= 0x80))
        {
            add(field, [.. raw.Where(b => b is not (byte)'\r' and not (byte)'\n')]);
            return;
        }

        add(field, Encoding.UTF8.GetBytes(Rfc2047.DecodeText(raw).ReplaceLineEndings("").Trim()));
        charsets[field] = "UTF-8";
    }

    /// <summary>
    /// The first <c>text/plain</c> and <c>text/html</c> bodies outside attachments and attached messages are the <c>text</c>
    /// and <c>html</c> fields; every other part, and every attached message whole, is an attachment.
    /// </summary>
    private static void Walk(MimeEntity? entity, Dictionary<string, TextPart> bodies, List<MimeEntity> attachments)
    {
        switch (entity)
        {
            case Multipart multipart:
                foreach (var part in multipart)
                {
                    Walk(part, bodies, attachments);
                }

                break;
            case TextPart text when !text.IsAttachment && (text.IsPlain || text.IsHtml) && bodies.TryAdd(text.IsPlain ? "text" : "html", text):
                break;
            case MimePart or MessagePart:
                attachments.Add(entity);
                break;
        }
    }

    private static byte[] TrimLeadingSpace(byte[] mime)
    {
        var start = 0;
        while (start < mime.Length && mime[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        return mime[start..];
    }

    /// <summary>The bytes of the mail up to the blank line that ends its headers.</summary>
    private static byte[] HeaderBlock(byte[] mime)
    {
        for (var i = 0; i + 1 < mime.Length; i++)
        {
            if (mime[i] == '\n' && (mime[i + 1] == '\n' || (mime[i + 1] == '\r' && i + 2 < mime.Length && mime[i + 2] == '\n')))
            {
                return mime[..(i + 1)];
            }
        }

        return mime;
    }
}
