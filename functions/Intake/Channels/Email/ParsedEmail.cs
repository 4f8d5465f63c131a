using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Intake.Web;
using MimeKit;
using MimeKit.Utils;

namespace Intake.Channels.Email;

/// <summary>An attachment as the mail carried it, before the screening decides what is kept; <see cref="Charset"/> as its type declared it.</summary>
internal sealed record MailAttachment(string? FileName, string ContentType, byte[] Content, string? Charset = null);

/// <summary>
/// One inbound mail, read from either shape of Inbound Parse post: <see cref="From"/> the sender as
/// <see cref="MailSenders"/> finds it (null when the mail names no usable address anywhere), <see cref="Body"/> is the full text (the text part,
/// or the HTML part turned into text), <see cref="Headers"/> its header block, <see cref="EnvelopeSender"/> the SMTP
/// MAIL FROM (<c>""</c> for the null sender, null when unknown; in raw mode without SendGrid's <c>envelope</c> field,
/// the message's <c>Return-Path</c>). <see cref="ReportText"/> is, for a delivery-status report, the text of its
/// machine-readable parts (the status fields and the returned message's headers).
/// </summary>
internal sealed record ParsedEmail(
    MailboxAddress? From,
    string? Subject,
    HeaderList Headers,
    string Body,
    IReadOnlyList<MailAttachment> Attachments,
    string? EnvelopeSender)
{
    public string? ReportText { get; init; }

    /// <summary>When no address was found: the From header as written (a display name, say), for agents to go by.</summary>
    public string? NameWithoutAddress { get; init; }

    /// <summary>
    /// The MAIL FROM as SendGrid reports it in its <c>envelope</c> field, and only so: what its SPF verdict judged. A
    /// <c>Return-Path</c> in the message is whatever the sender wrote, so it never stands in for this.
    /// </summary>
    public string? ReportedEnvelopeSender { get; init; }

    /// <summary>A delivery-status report (<c>multipart/report; report-type=delivery-status</c>): a bounce.</summary>
    public bool IsDeliveryReport { get; init; }

    /// <summary>Any <c>multipart/report</c>: a bounce, a read receipt, a feedback report; never a person's words, never answered.</summary>
    public bool IsReport { get; init; }

    public string? Spf { get; init; }

    public string? Dkim { get; init; }

    public string? SpamScore { get; init; }

    public string? SenderIp { get; init; }

    /// <summary>The Message-ID as sent, without angle brackets; null when the mail has none.</summary>
    public string? MessageId => Headers[HeaderId.MessageId] is { } value ? MessageIds(value).FirstOrDefault() ?? NullIfEmpty(value.Trim().Trim('<', '>').Trim()) : null;

    /// <summary><c>In-Reply-To</c> then <c>References</c> newest first: the order a thread is looked up in.</summary>
    public IEnumerable<string> ParentIds =>
        MessageIds(Headers[HeaderId.InReplyTo]).Concat(MessageIds(Headers[HeaderId.References]).Reverse()).Distinct(StringComparer.Ordinal);

    public double? SpamScoreValue =>
        double.TryParse(SpamScore, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score) ? score : null;

    /// <summary>The ids (without brackets) in a header value such as <c>References</c>.</summary>
    internal static IEnumerable<string> MessageIds(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. MimeUtils.EnumerateReferences(value).Where(id => id.Length > 0)];

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>Why a post is refused or a mail ignored: a short code for the log, never the mail's content.</summary>
internal enum EmailRefusal
{
    None,
    ChannelOff,
    BadCredentials,
    NotMultipart,
    TooLarge,
    MalformedForm,
    NoMail,
    NotMime,
}

/// <summary>Reads an Inbound Parse post in either mode: raw (<c>email</c>, a whole MIME message) or parsed fields.</summary>
internal static partial class EmailParser
{
    /// <summary>
    /// The mail, or why the post cannot be one (a 400): only a post that holds no mail at all. A mail whose sender cannot
    /// be read is still a mail.
    /// </summary>
    public static (ParsedEmail? Email, EmailRefusal Refusal, string? Error) Read(InboundParseForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var (email, refusal, error) = form.Bytes("email") is { } raw ? FromMime(raw, form)
            : form.Has("from") || form.Has("headers") ? (FromFields(form), EmailRefusal.None, null)
            : (null, EmailRefusal.NoMail, "The post has neither an 'email' nor a 'from' or 'headers' field.");
        if (email is null)
        {
            return (null, refusal, error);
        }

        return (email with
        {
            Spf = Short(form.Text("SPF")),
            Dkim = Short(form.Text("dkim")),
            SpamScore = Short(form.Text("spam_score")),
            SenderIp = Short(form.Text("sender_ip")),
        }, EmailRefusal.None, null);
    }

    private static (ParsedEmail?, EmailRefusal, string?) FromMime(byte[] raw, InboundParseForm form)
    {
        if (!raw.AsSpan().Contains((byte)'\n'))
        {
            // Old Mac line ends (CR alone), which MimeKit reads as one endless header.
            raw = WithCrLf(raw);
        }

        // A stray line before the headers (a relay's note, an export's separator) makes MimeKit give up: read from the
        // first line shaped like a header field instead.
        var start = HeaderStart(raw);
        if ((Load(raw, start) ?? (FirstHeaderField(raw, start) is { } field ? Load(raw, field) : null)) is not { } message)
        {
            return (null, EmailRefusal.NotMime, "The 'email' field is not a MIME message.");
        }

        // MimeKit keeps the Content-* fields with the body: a mail of nothing else (no From, no Subject) is still a mail.
        if (message.Headers.Count == 0 && message.Body is not { Headers.Count: > 0 })
        {
            return (null, EmailRefusal.NotMime, "The 'email' field is not a MIME message.");
        }

        ChooseCharsets(message);
        var reported = EnvelopeSender(form);
        var options = HeaderOptions(message.Headers, message.BodyParts.OfType<TextPart>().Select(p => p.ContentType.Charset).FirstOrDefault(c => c is not null));
        var from = MailSenders.Find(message.Headers, options, reported);
        var body = message.TextBody is { } text && !string.IsNullOrWhiteSpace(text) ? text
            : message.HtmlBody is { } html ? EmailText.FromHtml(html)
            : message.TextBody ?? "";
        var report = AutomaticMail.IsDeliveryReport(message.Body?.ContentType);
        var attachments = new List<MailAttachment>();
        var reportText = new StringBuilder();
        foreach (var entity in Leaves(message.Body))
        {
            if (report)
            {
                if (entity is MessagePart or MessageDeliveryStatus || (entity is MimePart { ContentType: var type } && type.MediaType.Equals("message", StringComparison.OrdinalIgnoreCase)))
                {
                    reportText.Append(Encoding.UTF8.GetString(ContentOf(entity))).Append('\n');
                }

                continue;
            }

            switch (entity)
            {
                case MessagePart part:
                    attachments.Add(new MailAttachment(part.ContentDisposition?.FileName ?? (part.Message?.Subject is { Length: > 0 } s ? s + ".eml" : "message.eml"), "message/rfc822", ContentOf(part)));
                    break;
                case TextPart { IsAttachment: false }:
                    break;
                case MimePart part:
                    attachments.Add(new MailAttachment(part.FileName, part.ContentType.MimeType, ContentOf(part), part.ContentType.Charset));
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(body) && attachments.Count == 0 && !report && Preamble(message.Body) is { } preamble)
        {
            // A multipart whose boundaries never come (or come misspelt) holds the whole text in its preamble.
            body = preamble;
        }

        var envelope = reported ?? (message.Headers[HeaderId.ReturnPath] is { } returnPath ? returnPath.Trim() : null);
        return (new ParsedEmail(from, HeaderText(message.Headers, "Subject", options), message.Headers, body, attachments, envelope)
        {
            ReportText = report ? reportText.ToString() : null,
            IsDeliveryReport = report,
            IsReport = AutomaticMail.IsReport(message.Body?.ContentType),
            ReportedEnvelopeSender = reported,
            NameWithoutAddress = from is null ? NameOnly(message.Headers, options) : null,
        }, EmailRefusal.None, null);
    }

    /// <summary>
    /// Where the header block starts: past blank lines, white space and an mbox <c>From </c> (or <c>&gt;From </c>) line
    /// that a relay or an export left before it. MimeKit takes a first line that starts with white space for a broken header and gives up.
    /// </summary>
    internal static int HeaderStart(ReadOnlySpan<byte> raw)
    {
        var start = 0;
        while (true)
        {
            while (start < raw.Length && raw[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            var line = raw[start..];
            var separator = (line.StartsWith("From "u8) || line.StartsWith(">From "u8))
                && !line[(line.IndexOf("From"u8) + 4)..].TrimStart(" \t"u8).StartsWith(":"u8); // From  : is the obsolete header syntax
            if (!separator || line.IndexOf((byte)'\n') is not (>= 0 and var end))
            {
                return start;
            }

            start += end + 1;
        }
    }

    /// <summary>
    /// The start of the first line after <paramref name="start"/>'s, among the next few, that is shaped like a header field
    /// (<c>Name:</c>); null when none is, or when a line passed over is a MIME boundary (<c>--…</c>): what starts with a
    /// boundary is a piece of a body whose headers are gone, not a mail with a note before it.
    /// </summary>
    private static int? FirstHeaderField(byte[] raw, int start)
    {
        const int MaxStrayLines = 3;
        if (raw.AsSpan(start).StartsWith("--"u8))
        {
            return null;
        }

        var passed = 1;
        for (var at = Array.IndexOf(raw, (byte)'\n', start); at >= 0 && at + 1 < raw.Length && passed <= MaxStrayLines; at = Array.IndexOf(raw, (byte)'\n', at + 1), passed++)
        {
            var line = raw.AsSpan(at + 1);
            if (line.StartsWith("--"u8))
            {
                return null;
            }

            var colon = line.IndexOf((byte)':');
            var name = colon > 0 ? line[..colon].TrimEnd(" \t"u8) : default;
            if (name.Length > 0 && !name.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e))
            {
                return at + 1;
            }
        }

        return null;
    }

    /// <summary>The mail with every CR followed by an LF, in one pass.</summary>
    private static byte[] WithCrLf(byte[] raw)
    {
        var result = new byte[raw.Length + raw.AsSpan().Count((byte)'\r')];
        var at = 0;
        foreach (var b in raw)
        {
            result[at++] = b;
            if (b == (byte)'\r')
            {
                result[at++] = (byte)'\n';
            }
        }

        return result;
    }

    private static MimeMessage? Load(byte[] raw, int start)
    {
        try
        {
            using var stream = new MemoryStream(raw, start, raw.Length - start, writable: false);
            return MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static ParsedEmail FromFields(InboundParseForm form)
    {
        var headers = new HeaderList();
        if (form.Bytes("headers") is { Length: > 0 } block)
        {
            try
            {
                using var stream = new MemoryStream(block, writable: false);
                headers = HeaderList.Load(stream);
            }
            catch (FormatException)
            {
                // Headers SendGrid could not hand over cleanly: the fields still make a mail.
            }
        }

        var body = form.Text("text") is { } text && !string.IsNullOrWhiteSpace(text) ? text
            : form.Text("html") is { } html ? EmailText.FromHtml(html)
            : "";
        var options = HeaderOptions(headers, form.EncodingFor("text")?.WebName);
        var envelope = EnvelopeSender(form);
        var from = MailSenders.Find(headers, options, envelope, form.Text("from"));
        var subject = form.Text("subject") ?? HeaderText(headers, "Subject", options);
        var report = AutomaticMail.IsDeliveryReport(headers);
        var info = AttachmentInfo(form);
        var attachments = new List<MailAttachment>();
        var reportText = new StringBuilder(report ? body : "");
        foreach (var file in form.Files.Where(f => AttachmentField().IsMatch(f.Field)))
        {
            var described = info.GetValueOrDefault(file.Field);
            var type = file.ContentType ?? described.Type ?? "application/octet-stream";
            if (report && (type.StartsWith("message/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/rfc822-headers", StringComparison.OrdinalIgnoreCase)))
            {
                reportText.Append('\n').Append(Encoding.UTF8.GetString(file.Content));
                continue;
            }

            attachments.Add(new MailAttachment(file.FileName ?? described.Name, type, file.Content, ContentType.TryParse(type, out var parsed) ? parsed.Charset : null));
        }

        return new ParsedEmail(from, subject, headers, body, attachments, envelope)
        {
            ReportText = report ? reportText.ToString() : null,
            IsDeliveryReport = report,
            IsReport = AutomaticMail.IsReport(headers),
            ReportedEnvelopeSender = envelope,
            NameWithoutAddress = from is null ? NameOnly(headers, options) ?? NullIfBlank(form.Text("from")) : null,
        };
    }

    /// <summary>
    /// Each text part is given the charset <see cref="EmailCharsets.Choose"/> reads it in, so that MimeKit decodes it so:
    /// 8-bit text that declares no charset, an unknown one, or US-ASCII is otherwise read as Latin-1 or with question
    /// marks, and UTF-8 or Chinese labelled Latin-1 by a gateway comes out as mojibake.
    /// </summary>
    private static void ChooseCharsets(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<TextPart>().Where(p => !p.IsAttachment))
        {
            var bytes = ContentOf(part);
            if (!bytes.AsSpan().ContainsAnyInRange((byte)0x80, (byte)0xff))
            {
                // 7-bit text reads right in what it declares; but MimeKit cannot have .NET decode UTF-7 by name (Outlook
                // 2000 sent it), so that is decoded here and the part becomes UTF-8.
                if (EmailCharsets.Find(part.ContentType.Charset) is { CodePage: EmailCharsets.Utf7CodePage } utf7)
                {
                    part.SetText(Encoding.UTF8, utf7.GetString(bytes));
                }

                continue;
            }

            var declared = part.ContentType.Charset;
            var chosen = EmailCharsets.Choose(declared, bytes);
            if (declared is null || EmailCharsets.Find(declared) is not { } known || known.CodePage != chosen.CodePage)
            {
                part.ContentType.Charset = chosen.WebName;
            }
        }
    }

    /// <summary>
    /// How to read raw 8-bit bytes in the sender and subject headers (older clients send them unencoded): UTF-8 when they
    /// are, else the charset the body declares when they decode in it (as <see cref="EmailCharsets.Choose"/> takes the
    /// declaration: a Latin-1 label does not make GB2312 bytes Latin-1), else the guessed one.
    /// </summary>
    private static ParserOptions HeaderOptions(HeaderList headers, string? bodyCharset)
    {
        var eightBit = headers.Where(h => h.Field.Trim() is var f && (f.Equals("Subject", StringComparison.OrdinalIgnoreCase) || f.Equals("From", StringComparison.OrdinalIgnoreCase)
                || f.Equals("Sender", StringComparison.OrdinalIgnoreCase) || f.Equals("Reply-To", StringComparison.OrdinalIgnoreCase)))
            .Select(h => h.RawValue)
            .Where(raw => raw.Any(b => b >= 0x80))
            .SelectMany(raw => raw.Append((byte)'\n'))
            .ToArray();
        if (eightBit.Length == 0 || System.Text.Unicode.Utf8.IsValid(eightBit))
        {
            return ParserOptions.Default;
        }

        var encoding = EmailCharsets.Choose(bodyCharset, eightBit) is var chosen && !EmailCharsets.IsUtf8OrAscii(chosen) && DecodesStrictly(chosen, eightBit)
            ? chosen
            : EmailCharsets.Guess(eightBit);
        var options = ParserOptions.Default.Clone();
        options.CharsetEncoding = encoding;
        return options;
    }

    private static bool DecodesStrictly(Encoding encoding, byte[] bytes)
    {
        // A clone takes the strict fallback whatever the encoding; GetEncoding by code page refuses some (UTF-7).
        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        try
        {
            _ = strict.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static string? NameOnly(HeaderList headers, ParserOptions options) =>
        NullIfBlank(HeaderText(headers, "From", options)?.Trim().Trim('"', '<', '>', '(', ')').Trim());

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A header's text (its name trimmed, for <c>Subject  :</c>), raw 8-bit bytes decoded as <paramref name="options"/> says.</summary>
    private static string? HeaderText(HeaderList headers, string name, ParserOptions options) =>
        headers.FirstOrDefault(h => h.Field.Trim().Equals(name, StringComparison.OrdinalIgnoreCase)) is { } header
            ? string.Join(' ', Rfc2047.DecodeText(options, header.RawValue).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()))
            : null;

    /// <summary>SMTP MAIL FROM from the <c>envelope</c> field (<c>{"to":[…],"from":"…"}</c>); null when absent or unreadable.</summary>
    private static string? EnvelopeSender(InboundParseForm form)
    {
        if (form.Bytes("envelope") is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("from", out var from)
                ? from.ValueKind == JsonValueKind.String ? JsonText.Get(from) : from.ValueKind == JsonValueKind.Null ? "" : null
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>attachment-info</c>: <c>{"attachment1":{"filename":"…","type":"…"}}</c>.</summary>
    private static Dictionary<string, (string? Name, string? Type)> AttachmentInfo(InboundParseForm form)
    {
        var info = new Dictionary<string, (string?, string?)>(StringComparer.OrdinalIgnoreCase);
        if (form.Bytes("attachment-info") is not { } json)
        {
            return info;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in document.RootElement.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.Object))
                {
                    info[entry.Name] = (StringProperty(entry.Value, "filename") ?? StringProperty(entry.Value, "name"), StringProperty(entry.Value, "type"));
                }
            }
        }
        catch (JsonException)
        {
        }

        return info;
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? JsonText.Get(value) : null;

    /// <summary>The first preamble of a multipart in the tree that holds text, trimmed; null when none does.</summary>
    private static string? Preamble(MimeEntity? entity) =>
        entity is Multipart multipart
            ? !string.IsNullOrWhiteSpace(multipart.Preamble) ? multipart.Preamble.Trim() : multipart.Select(Preamble).FirstOrDefault(p => p is not null)
            : null;

    /// <summary>The leaves of a MIME tree; an attached message is one leaf, not opened.</summary>
    internal static IEnumerable<MimeEntity> Leaves(MimeEntity? entity)
    {
        if (entity is Multipart multipart)
        {
            foreach (var child in multipart.SelectMany(Leaves))
            {
                yield return child;
            }
        }
        else if (entity is not null)
        {
            yield return entity;
        }
    }

    internal static byte[] ContentOf(MimeEntity entity)
    {
        using var stream = new MemoryStream();
        switch (entity)
        {
            case MessagePart { Message: { } message }:
                message.WriteTo(stream);
                break;
            case MimePart { Content: { } content }:
                content.DecodeTo(stream);
                break;
        }

        return stream.ToArray();
    }

    /// <summary>Metadata values are short single lines: a provider field is never a place for a long text.</summary>
    private static string? Short(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var line = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 200 ? line : line[..200];
    }

    [GeneratedRegex(@"^attachment\d+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex AttachmentField();
}
