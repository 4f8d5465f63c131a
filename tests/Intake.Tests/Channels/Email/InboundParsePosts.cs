using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Intake.Tests.Integration;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// SendGrid Inbound Parse posts built by hand from the documented shapes: the parsed fields (<c>headers</c>, <c>text</c>,
/// <c>html</c>, <c>from</c>, <c>to</c>, <c>subject</c>, <c>envelope</c>, <c>charsets</c>, <c>dkim</c>, <c>SPF</c>,
/// <c>sender_ip</c>, <c>spam_score</c>, <c>attachments</c>, <c>attachmentN</c>, <c>attachment-info</c>) or raw mode's
/// single <c>email</c> field.
/// </summary>
internal static class InboundParsePosts
{
    public const string User = "sendgrid-parse";
    public const string Password = "inbound-Secret-0123456789";
    public const string Support = IntakeHost.FromEmail;

    public static readonly Uri Endpoint = new("/api/intake/email", UriKind.Relative);

    static InboundParsePosts() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Dictionary<string, string> Settings(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["SendGrid:InboundUser"] = User, ["SendGrid:InboundPassword"] = Password };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static AuthenticationHeaderValue Credentials(string user = User, string password = Password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static HttpClient Client(IntakeHost host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = Credentials();
        return client;
    }

    public static Encoding Charset(string name) => Encoding.GetEncoding(name);

    /// <summary>An attachment as SendGrid posts it: a file part, described in <c>attachment-info</c>.</summary>
    public sealed record Attachment(string FileName, string ContentType, byte[] Content);

    /// <summary>
    /// A parsed-mode post. <paramref name="extraHeaders"/> go into the <c>headers</c> block, one per line; <paramref name="spf"/>
    /// and <paramref name="dkim"/> are SendGrid's verdicts (null leaves the field out). Each field's bytes are in the
    /// charset <paramref name="charsets"/> names for it, unless <paramref name="bytesIn"/> names another (a mislabelled mail).
    /// </summary>
    public static MultipartFormDataContent Parsed(
        string text,
        string subject = "Question",
        string from = "Alice Chen <alice@customer.example>",
        string? messageId = "<first-1@customer.example>",
        string? html = null,
        string[]? extraHeaders = null,
        string? envelopeFrom = "alice@customer.example",
        string? spamScore = "0.1",
        IReadOnlyList<Attachment>? attachments = null,
        Dictionary<string, string>? charsets = null,
        string? spf = "pass",
        string? dkim = "{@customer.example : pass}",
        Dictionary<string, string>? bytesIn = null)
    {
        var headers = new StringBuilder();
        headers.Append("Received: from mail.customer.example by mx.sendgrid.net\n");
        headers.Append("Date: Mon, 23 Nov 2026 10:00:00 +0000\n");
        headers.Append("From: ").Append(from).Append('\n');
        headers.Append("To: ").Append(Support).Append('\n');
        headers.Append("Subject: ").Append(subject).Append('\n');
        if (messageId is not null)
        {
            headers.Append("Message-ID: ").Append(messageId).Append('\n');
        }

        foreach (var header in extraHeaders ?? [])
        {
            headers.Append(header).Append('\n');
        }

        headers.Append("MIME-Version: 1.0\n");
        if (!(extraHeaders ?? []).Any(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Append("Content-Type: multipart/alternative; boundary=\"000000000000abc\"\n");
        }

        charsets ??= new() { ["to"] = "UTF-8", ["from"] = "UTF-8", ["subject"] = "UTF-8", ["text"] = "UTF-8", ["html"] = "UTF-8" };
        var actual = new Dictionary<string, string>(charsets);
        foreach (var (field, charset) in bytesIn ?? [])
        {
            actual[field] = charset;
        }

        var fields = new List<(string Name, byte[] Value)>
        {
            ("headers", Encoding.UTF8.GetBytes(headers.ToString())),
            ("to", Encoding.UTF8.GetBytes(Support)),
            ("from", EncodingFor(actual, "from").GetBytes(from)),
            ("subject", EncodingFor(actual, "subject").GetBytes(subject)),
            ("sender_ip", "203.0.113.9"u8.ToArray()),
            ("charsets", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(charsets))),
            ("attachments", Encoding.UTF8.GetBytes((attachments?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        };
        if (dkim is not null)
        {
            fields.Add(("dkim", Encoding.UTF8.GetBytes(dkim)));
        }

        if (spf is not null)
        {
            fields.Add(("SPF", Encoding.UTF8.GetBytes(spf)));
        }

        if (text.Length > 0)
        {
            fields.Add(("text", EncodingFor(actual, "text").GetBytes(text)));
        }

        if (html is not null)
        {
            fields.Add(("html", EncodingFor(actual, "html").GetBytes(html)));
        }

        if (envelopeFrom is not null)
        {
            fields.Add(("envelope", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { to = new[] { Support }, from = envelopeFrom }))));
        }

        if (spamScore is not null)
        {
            fields.Add(("spam_score", Encoding.UTF8.GetBytes(spamScore)));
        }

        var content = new MultipartFormDataContent("----sendgrid-parse-boundary-" + Guid.NewGuid().ToString("N"));
        foreach (var (name, value) in fields)
        {
            content.Add(new ByteArrayContent(value), name);
        }

        if (attachments is { Count: > 0 })
        {
            var info = new Dictionary<string, object>();
            for (var i = 0; i < attachments.Count; i++)
            {
                var key = $"attachment{i + 1}";
                info[key] = new { filename = attachments[i].FileName, name = attachments[i].FileName, type = attachments[i].ContentType };
                var file = new ByteArrayContent(attachments[i].Content);
                file.Headers.ContentType = MediaTypeHeaderValue.Parse(attachments[i].ContentType);
                content.Add(file, key, attachments[i].FileName);
            }

            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(info))), "attachment-info");
        }

        return content;
    }

    /// <summary>A raw-mode post: the whole message in <c>email</c>, plus the fields SendGrid sends beside it.</summary>
    public static MultipartFormDataContent Raw(
        string mime, string? envelopeFrom = "alice@customer.example", string spamScore = "0.2", string spf = "pass", string dkim = "{@customer.example : pass}") =>
        Raw(Encoding.UTF8.GetBytes(mime.ReplaceLineEndings("\r\n")), envelopeFrom, spamScore, spf, dkim);

    public static MultipartFormDataContent Raw(
        byte[] mime, string? envelopeFrom = "alice@customer.example", string spamScore = "0.2", string spf = "pass", string dkim = "{@customer.example : pass}")
    {
        var content = new MultipartFormDataContent("----sendgrid-raw-boundary-" + Guid.NewGuid().ToString("N"));
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(dkim)), "dkim");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(Support)), "to");
        content.Add(new ByteArrayContent(mime), "email");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(spf)), "SPF");
        content.Add(new ByteArrayContent("198.51.100.7"u8.ToArray()), "sender_ip");
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(spamScore)), "spam_score");
        if (envelopeFrom is not null)
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { to = new[] { Support }, from = envelopeFrom }))), "envelope");
        }

        return content;
    }

    private static Encoding EncodingFor(Dictionary<string, string> charsets, string field) =>
        charsets.TryGetValue(field, out var name) ? Encoding.GetEncoding(name) : Encoding.UTF8;
}
