using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;
using Intake.Triage;
using MimeKit;

namespace Intake.Channels.Email;

/// <summary>
/// What an attachment's content says about keeping it: <see cref="Refused"/> null to keep it, <c>secret:&lt;kind&gt;</c>
/// when it holds a secret (<see cref="Kinds"/> all it was found to hold), <c>too_large_to_scan</c> or
/// <c>too_deep_to_scan</c> when it is text we could not read to the end.
/// </summary>
internal sealed record Inspection(string? Refused, IReadOnlySet<SecretKind> Kinds)
{
    public static Inspection Clean { get; } = new(null, new HashSet<SecretKind>());

    public static Inspection TooLarge { get; } = new(AttachmentInspection.TooLargeToScan, new HashSet<SecretKind>());

    public static Inspection TooDeep { get; } = new(AttachmentInspection.TooDeepToScan, new HashSet<SecretKind>());

    public static Inspection Secret(IEnumerable<SecretKind> kinds)
    {
        var set = kinds.ToHashSet();
        return new("secret:" + set.Min().ToName(), set);
    }
}

/// <summary>How much text one mail's attachments may make us read: the scanning of a mail costs at most this much.</summary>
internal sealed class ScanBudget(long bytes = AttachmentInspection.MaxScanTotal)
{
    public long Remaining { get; private set; } = bytes;

    public bool TrySpend(long bytes)
    {
        if (bytes > Remaining)
        {
            return false;
        }

        Remaining -= bytes;
        return true;
    }
}

/// <summary>
/// Reads attachments the way triage reads a mail, so that a secret sent as a file is treated as one sent as text.
/// Known wallet and key files are secrets by name or by content whatever their text says (a keystore, <c>wallet.dat</c>,
/// a private-key block). Text-like files — by type, by extension, or plain text under a generic type — are decoded (BOM,
/// UTF-16, declared charset, UTF-8, else Windows-1252), HTML read as text too, and triaged in overlapping slices; an
/// attached message is opened with MimeKit and its header fields, text and own attachments read the same way, three levels
/// deep at most. Text over <see cref="MaxScanBytes"/> (or past the mail's <see cref="ScanBudget"/>) is not read: it is
/// withheld, since storing a file we could not read might store a recovery phrase, while withholding one costs the
/// agent a question. Pure: no I/O.
/// </summary>
internal static class AttachmentInspection
{
    public const string TooLargeToScan = "too_large_to_scan";
    public const string TooDeepToScan = "too_deep_to_scan";

    /// <summary>The most text read of one file: triage reads about a megabyte in a few hundred milliseconds here.</summary>
    public const int MaxScanBytes = 4 * 1024 * 1024;

    /// <summary>The most text read of one mail's attachments together.</summary>
    public const long MaxScanTotal = 10 * 1024 * 1024;

    /// <summary>How deep attached messages are opened (a message attached to a message attached to the mail is depth 2).</summary>
    public const int MaxDepth = 3;

    /// <summary>The most parts of an attached message that are looked at.</summary>
    private const int MaxParts = 200;

    /// <summary>
    /// Triage reads a file in slices of this many characters, overlapping by <see cref="Overlap"/> so that a phrase or a
    /// labelled value across a cut is whole in one of them; slicing keeps a hostile file's cost linear in its length.
    /// </summary>
    private const int Slice = 64 * 1024;

    private const int Overlap = 2 * 1024;

    private const int SniffBytes = 8 * 1024;

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "txt", "text", "csv", "tsv", "json", "jsonl", "ndjson", "eml", "html", "htm", "xhtml", "md", "markdown", "log", "xml", "yaml", "yml",
        "ini", "cfg", "conf", "asc", "rtf", "srt", "vcf",
    };

    private static readonly HashSet<string> KeyExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "pem", "p12", "pfx", "keystore", "jks", "ppk", "seco", "wallet",
    };

    private static readonly HashSet<string> KeyFileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "wallet.dat", "default_wallet", "keystore", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "seed.seco",
    };

    /// <summary>Declared types under which content may be any text: those are sniffed.</summary>
    private static readonly HashSet<string> GenericTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "application/octet-stream", "binary/octet-stream", "application/unknown", "application/x-unknown", "application/binary", "application/download",
    };

    /// <summary>The verdict on one attachment of the mail (<paramref name="depth"/> 0) or of an attached message.</summary>
    public static Inspection Inspect(string name, string contentType, string? charset, byte[] content, TriageEngine triage, ScanBudget budget, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(triage);
        ArgumentNullException.ThrowIfNull(budget);
        var type = MediaType(contentType);
        var extension = Extension(name);
        if (IsKeyFileName(name, extension) || IsKeyFileContent(content))
        {
            return Inspection.Secret([name.EndsWith(".kdbx", StringComparison.OrdinalIgnoreCase) ? SecretKind.Password : SecretKind.PrivateKey]);
        }

        if (type is "message/rfc822" or "message/global" || string.Equals(extension, "eml", StringComparison.OrdinalIgnoreCase))
        {
            return depth >= MaxDepth ? Inspection.TooDeep : InspectMessage(content, triage, budget, depth + 1);
        }

        if (IsZip(type, extension, content))
        {
            return depth >= MaxDepth ? Inspection.TooDeep : InspectZip(content, triage, budget, depth + 1);
        }

        if (!IsTextLike(type, extension, content))
        {
            return Inspection.Clean;
        }

        if (content.Length > MaxScanBytes || !budget.TrySpend(content.Length))
        {
            return Inspection.TooLarge;
        }

        var text = Decode(content, charset);
        if (IsKeyFileText(text))
        {
            return Inspection.Secret([SecretKind.PrivateKey]);
        }

        var kinds = new HashSet<SecretKind>();
        var html = type is "text/html" or "application/xhtml+xml" || extension is "html" or "htm" or "xhtml" || LooksLikeHtml(text);
        if (ScanText(text, triage, kinds) || (html && ScanText(EmailText.FromHtml(text), triage, kinds)))
        {
            return Inspection.Secret(kinds);
        }

        return kinds.Count > 0 ? Inspection.Secret(kinds) : Inspection.Clean;
    }

    /// <summary>An attached message: its header fields (the subject among them), its text (and HTML read as text), and each of its own attachments.</summary>
    private static Inspection InspectMessage(byte[] content, TriageEngine triage, ScanBudget budget, int depth)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            // Not MIME after all: read it as the text it is.
            return Inspect("message.txt", "text/plain", null, content, triage, budget, depth);
        }

        var kinds = new HashSet<SecretKind>();
        var unread = (string?)null;
        var parts = 0;
        foreach (var entity in EmailParser.Leaves(message.Body))
        {
            if (++parts > MaxParts)
            {
                unread ??= TooLargeToScan;
                break;
            }

            var (name, type, charset, bytes) = entity switch
            {
                MessagePart part => (part.ContentDisposition?.FileName ?? (part.Message?.Subject is { Length: > 0 } s ? s + ".eml" : "message.eml"), "message/rfc822", null, EmailParser.ContentOf(part)),
                MimePart part => (part.FileName ?? "", part.ContentType.MimeType, part.ContentType.Charset, EmailParser.ContentOf(part)),
                _ => ("", "", null, []),
            };
            kinds.UnionWith(NameSecrets(name, triage));
            var verdict = Inspect(name, type, charset, bytes, triage, budget, depth);
            kinds.UnionWith(verdict.Kinds);
            if (verdict.Refused is { } refused && verdict.Kinds.Count == 0)
            {
                unread ??= refused;
            }

            if (verdict.Kinds.Any(Exposes))
            {
                return Inspection.Secret(kinds);
            }
        }

        // Its header fields, the subject among them: a file named .eml that is plain text may read as headers only.
        var headers = string.Join('\n', message.Headers.Select(h => h.Value));
        if (!budget.TrySpend(headers.Length))
        {
            return Inspection.TooLarge;
        }

        ScanText(headers, triage, kinds);
        return kinds.Count > 0 ? Inspection.Secret(kinds) : unread is null ? Inspection.Clean : new Inspection(unread, kinds);
    }

    /// <summary>
    /// A zip archive (a wallet backup is often sent zipped): each entry is inspected as an attachment would be, its name
    /// too, at most <see cref="MaxParts"/> of them, within the mail's budget. An entry that cannot be read — encrypted,
    /// compressed past what it declared, past the budget — withholds the archive when it would have been read (text, or
    /// an archive), as an unread text file does. A file that only claims to be a zip is judged as the bytes it is.
    /// </summary>
    private static Inspection InspectZip(byte[] content, TriageEngine triage, ScanBudget budget, int depth)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return IsTextLike("", "", content) ? Inspect("archive.txt", "text/plain", null, content, triage, budget, depth) : Inspection.Clean;
        }

        using (archive)
        {
            var kinds = new HashSet<SecretKind>();
            var unread = (string?)null;
            var entries = 0;
            foreach (var entry in archive.Entries)
            {
                if (++entries > MaxParts)
                {
                    unread ??= TooLargeToScan;
                    break;
                }

                if (entry.Name.Length == 0)
                {
                    continue;
                }

                kinds.UnionWith(NameSecrets(entry.FullName, triage));
                var extension = Extension(entry.Name);
                var wouldRead = TextExtensions.Contains(extension) || string.Equals(extension, "zip", StringComparison.OrdinalIgnoreCase);
                var verdict = ReadEntry(entry) is { } bytes
                    ? Inspect(entry.Name, "", null, bytes, triage, budget, depth)
                    : IsKeyFileName(entry.Name, extension) ? Inspection.Secret([SecretKind.PrivateKey])
                    : wouldRead ? Inspection.TooLarge
                    : Inspection.Clean;
                kinds.UnionWith(verdict.Kinds);
                if (verdict.Refused is { } refused && verdict.Kinds.Count == 0)
                {
                    unread ??= refused;
                }

                if (verdict.Kinds.Any(Exposes))
                {
                    return Inspection.Secret(kinds);
                }
            }

            return kinds.Count > 0 ? Inspection.Secret(kinds) : unread is null ? Inspection.Clean : new Inspection(unread, kinds);
        }
    }

    /// <summary>An entry's bytes, read no further than <see cref="MaxScanBytes"/> whatever it declares; null when it cannot be read or is longer.</summary>
    private static byte[]? ReadEntry(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxScanBytes)
        {
            return null;
        }

        try
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > MaxScanBytes)
                {
                    return null;
                }
            }

            return copy.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            // Encrypted, or damaged: it cannot be read.
            return null;
        }
    }

    private static bool IsZip(string type, string extension, ReadOnlySpan<byte> content) =>
        content.StartsWith("PK\u0003\u0004"u8)
        && (type is "application/zip" or "application/x-zip-compressed" or "application/x-zip" || string.Equals(extension, "zip", StringComparison.OrdinalIgnoreCase)
            || GenericTypes.Contains(type));

    /// <summary>What a file name inside an attachment (an attached message's part, a zip entry) holds; the name itself is never stored.</summary>
    private static IReadOnlyList<SecretKind> NameSecrets(string name, TriageEngine triage) =>
        TextRedaction.RedactName(triage, name, fileName: true, name.Length, "").Found.Secrets;

    /// <summary>Triages the text slice by slice, adding the kinds found; true as soon as one exposes funds or an account.</summary>
    private static bool ScanText(string text, TriageEngine triage, HashSet<SecretKind> kinds)
    {
        for (var start = 0; start < text.Length; start += Slice - Overlap)
        {
            var result = triage.Triage(text.Substring(start, Math.Min(Slice, text.Length - start)));
            kinds.UnionWith(result.Secrets);
            if (result.Secrets.Any(Exposes))
            {
                return true;
            }

            if (start + Slice >= text.Length)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>DESIGN §6: every secret but a one-time code exposes funds or an account.</summary>
    private static bool Exposes(SecretKind kind) => kind != SecretKind.Otp;

    private static bool IsKeyFileName(string name, string extension) =>
        KeyFileNames.Contains(name)
        || KeyExtensions.Contains(extension)
        || string.Equals(extension, "kdbx", StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith("UTC--", StringComparison.OrdinalIgnoreCase) && name.IndexOf("--", 5, StringComparison.Ordinal) > 0);

    /// <summary>
    /// Wallet files by their first bytes: Berkeley DB (Bitcoin Core's legacy <c>wallet.dat</c>, its B-tree or hash magic
    /// at offset 12 in either byte order) and Exodus's <c>SECO</c> container (binary after its magic, unlike a text that
    /// starts "SECOND").
    /// </summary>
    private static bool IsKeyFileContent(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith("SECO"u8) && content.Length > 4 && content[4] == 0)
        {
            return true;
        }

        if (content.Length < 16)
        {
            return false;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(content[12..]);
        return magic is 0x00053162 or 0x62310500 or 0x00061561 or 0x61150600;
    }

    /// <summary>
    /// Key material in text that triage does not read as a secret: a PuTTY key, an Ethereum keystore (<c>crypto</c> with
    /// <c>ciphertext</c> and <c>kdf</c>), an Electrum wallet (JSON with <c>seed_version</c>, or its encrypted <c>BIE1</c>
    /// form), a MetaMask vault (<c>data</c>, <c>iv</c>, <c>salt</c>), a Solana key pair (64 numbers). A PEM or PGP
    /// private-key block is triage's own (<c>secret.private_key.armoured</c>), found by the scan that follows.
    /// </summary>
    internal static bool IsKeyFileText(string text)
    {
        var trimmed = text.AsSpan().Trim();
        return text.Contains("PuTTY-User-Key-File-", StringComparison.Ordinal)
            || (Has(text, "\"crypto\"") && Has(text, "\"ciphertext\"") && Has(text, "\"kdf\""))
            || (Has(text, "\"seed_version\"") && (Has(text, "\"keystore\"") || Has(text, "\"wallet_type\"")))
            || trimmed.StartsWith("QklFMQ", StringComparison.Ordinal)
            || (Has(text, "\"data\"") && Has(text, "\"iv\"") && Has(text, "\"salt\"") && trimmed.StartsWith("{", StringComparison.Ordinal))
            || IsKeyPairArray(trimmed);

        static bool Has(string text, string key) => text.Contains(key, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>[12,34,…]</c> of exactly 64 bytes: a Solana key pair file, the private key in the clear.</summary>
    private static bool IsKeyPairArray(ReadOnlySpan<char> text)
    {
        if (text.Length is < 129 or > 1024 || text[0] != '[' || text[^1] != ']')
        {
            return false;
        }

        var count = 0;
        foreach (var range in text[1..^1].Split(','))
        {
            if (!byte.TryParse(text[1..^1][range].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return false;
            }

            count++;
        }

        return count == 64;
    }

    private static bool IsTextLike(string type, string extension, ReadOnlySpan<byte> content) =>
        type.StartsWith("text/", StringComparison.Ordinal)
        || type is "application/json" or "application/xml" or "application/xhtml+xml" or "application/x-pem-file" or "application/pgp-keys" or "application/csv"
            or "application/x-ndjson" or "application/rtf" or "application/yaml" or "application/x-yaml"
        || type.EndsWith("+json", StringComparison.Ordinal)
        || type.EndsWith("+xml", StringComparison.Ordinal)
        || TextExtensions.Contains(extension)
        || (GenericTypes.Contains(type) && LooksLikeText(content));

    /// <summary>Plain text by its first bytes: a BOM, or no NUL and valid UTF-8 with few control characters.</summary>
    private static bool LooksLikeText(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) || content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || content.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return true;
        }

        var head = content[..Math.Min(content.Length, SniffBytes)];
        if (head.IsEmpty || head.Contains((byte)0))
        {
            return false;
        }

        var controls = 0;
        foreach (var b in head)
        {
            controls += b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C ? 1 : 0;
        }

        // A cut in the middle of a character at the end of the sample is still text.
        var valid = Utf8.IsValid(head) || (head.Length == SniffBytes && Utf8.IsValid(head[..^4]));
        return valid && controls * 100 <= head.Length;
    }

    private static bool LooksLikeHtml(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, 1024)).TrimStart();
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Text from bytes: a BOM decides, then UTF-16 by its zero bytes, then the declared charset, then UTF-8 if valid, else Windows-1252.</summary>
    internal static string Decode(byte[] content, string? charset)
    {
        ReadOnlySpan<byte> bytes = content;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]))
        {
            return Encoding.UTF32.GetString(bytes[4..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        if (Utf16WithoutBom(bytes) is { } utf16)
        {
            return utf16.GetString(bytes);
        }

        if (!string.IsNullOrWhiteSpace(charset) && !charset.Trim().Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            var declared = EmailCharsets.Get(charset);
            if (declared.CodePage != Encoding.UTF8.CodePage)
            {
                return declared.GetString(bytes);
            }
        }

        return EmailCharsets.Decode(bytes);
    }

    /// <summary>UTF-16 without a BOM shows as a zero byte in every other position of ASCII text.</summary>
    private static Encoding? Utf16WithoutBom(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..(Math.Min(bytes.Length, SniffBytes) & ~1)];
        if (sample.Length < 8)
        {
            return null;
        }

        int even = 0, odd = 0;
        for (var i = 0; i < sample.Length; i += 2)
        {
            even += sample[i] == 0 ? 1 : 0;
            odd += sample[i + 1] == 0 ? 1 : 0;
        }

        var pairs = sample.Length / 2;
        return odd * 10 >= pairs * 3 && even * 10 < pairs ? Encoding.Unicode
            : even * 10 >= pairs * 3 && odd * 10 < pairs ? Encoding.BigEndianUnicode
            : null;
    }

    private static string MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    private static string Extension(string name)
    {
        var trimmed = name.TrimEnd('.', ' ');
        var dot = trimmed.LastIndexOf('.');
        return dot < 0 ? "" : trimmed[(dot + 1)..].ToLowerInvariant();
    }
}
