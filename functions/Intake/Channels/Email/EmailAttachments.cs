using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Intake.Tickets;

namespace Intake.Channels.Email;

/// <summary>An attachment the screening let through, with where its content goes under the ticket's folder.</summary>
internal sealed record KeptAttachment(string Blob, string ContentType, byte[] Content);

/// <summary>
/// Which attachments are kept: at most 10 MB each and 25 MB a message (the one that would cross it is refused
/// <c>over_total</c>), never an executable (by extension or by content: <c>MZ</c>, ELF, <c>#!</c>). Refused ones are
/// noted on the message and never stored; at most 50 notes a message. Pure: no I/O.
/// </summary>
internal static class AttachmentScreening
{
    public const long MaxEach = 10 * 1024 * 1024;
    public const long MaxTotal = 25 * 1024 * 1024;
    public const int MaxNotes = 50;

    private static readonly HashSet<string> ExecutableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "com", "bat", "cmd", "scr", "pif", "msi", "dll", "js", "jse", "vbs", "vbe", "wsf", "ps1", "jar", "apk", "app", "sh", "lnk", "hta", "cpl", "reg",
    };

    /// <summary>
    /// The notes for the message and the attachments to store. Blob names are <c>&lt;hash&gt;/&lt;n&gt;-&lt;name&gt;</c>,
    /// relative to the ticket's folder: the hash is of the provider message id, so a retried delivery writes the same names.
    /// </summary>
    public static (List<AttachmentNote> Notes, List<KeptAttachment> Kept) Screen(IReadOnlyList<MailAttachment> attachments, string providerMessageId)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        var folder = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerMessageId)).AsSpan(0, 8));
        var notes = new List<AttachmentNote>();
        var kept = new List<KeptAttachment>();
        long total = 0;
        foreach (var attachment in attachments.Take(MaxNotes))
        {
            var name = DisplayName(attachment.FileName);
            var type = SingleLine(attachment.ContentType, 100) is { Length: > 0 } t ? t : "application/octet-stream";
            long size = attachment.Content.Length;
            var refused = IsExecutable(name, attachment.Content) ? "executable"
                : size > MaxEach ? "too_large"
                : total + size > MaxTotal ? "over_total"
                : null;
            if (refused is not null)
            {
                notes.Add(new AttachmentNote(name, type, size, Refused: refused));
                continue;
            }

            total += size;
            var blob = $"{folder}/{notes.Count + 1}-{SafeFileName(name)}";
            notes.Add(new AttachmentNote(name, type, size, Blob: blob));
            kept.Add(new KeptAttachment(blob, type, attachment.Content));
        }

        return (notes, kept);
    }

    internal static bool IsExecutable(string name, ReadOnlySpan<byte> content)
    {
        var trimmed = name.TrimEnd('.', ' ');
        var dot = trimmed.LastIndexOf('.');
        if (dot >= 0 && ExecutableExtensions.Contains(trimmed[(dot + 1)..]))
        {
            return true;
        }

        return content.StartsWith("MZ"u8) || content.StartsWith("\u007fELF"u8) || content.StartsWith("#!"u8);
    }

    /// <summary>
    /// The name as the sender gave it, without any folder, as one line; intake redacts it before it cuts it to 200
    /// characters, so it is cut here only far past that.
    /// </summary>
    private static string DisplayName(string? fileName)
    {
        var name = SingleLine(fileName, 4_000) ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name.Length == 0 ? "attachment" : name;
    }

    /// <summary>A blob-safe name: letters, digits, dot, dash and underscore; at most 100 characters.</summary>
    internal static string SafeFileName(string name)
    {
        var safe = new StringBuilder(Math.Min(name.Length, 100));
        foreach (var c in name)
        {
            if (safe.Length == 100)
            {
                break;
            }

            var ok = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_';
            if (ok || (safe.Length > 0 && safe[^1] != '_'))
            {
                safe.Append(ok ? c : '_');
            }
        }

        var result = safe.ToString().Trim('.', '_');
        return result.Length == 0 ? "attachment" : result;
    }

    private static string? SingleLine(string? value, int max)
    {
        if (value is null)
        {
            return null;
        }

        var line = new string([.. value.Where(c => !char.IsControl(c))]).Trim();
        return line.Length <= max ? line : line[..max];
    }
}

/// <summary>
/// Attachment content in Blob Storage: container <c>attachments</c> (after <c>Storage:Prefix</c>), blobs
/// <c>&lt;ticketId&gt;/&lt;note's blob&gt;</c>. Writes overwrite, so a retried delivery simply finishes its uploads.
/// </summary>
public sealed class AttachmentStore(BlobServiceClient blobs, string prefix = "")
{
    public const string ContainerName = "attachments";

    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(prefix + ContainerName);

    public BlobContainerClient Container => _container;

    public async Task CreateContainerAsync(CancellationToken cancellationToken) =>
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    internal async Task UploadAsync(string ticketId, IEnumerable<KeptAttachment> attachments, CancellationToken cancellationToken)
    {
        foreach (var attachment in attachments)
        {
            var blob = _container.GetBlobClient($"{ticketId}/{attachment.Blob}");
            await blob.UploadAsync(
                BinaryData.FromBytes(attachment.Content),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = attachment.ContentType } },
                cancellationToken).ConfigureAwait(false);
        }
    }
}
