using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Channels.Email;

/// <summary>An attachment the screening let through, with where its content goes under the ticket's folder and its hex SHA-256.</summary>
internal sealed record KeptAttachment(string Blob, string ContentType, byte[] Content, string Sha256);

/// <summary>What the screening decided for a mail: the notes for the message, what to store, and the secrets withheld by kind.</summary>
internal sealed record Screening(List<AttachmentNote> Notes, List<KeptAttachment> Kept, IReadOnlyDictionary<string, int> WithheldSecrets);

/// <summary>
/// Which attachments are kept: at most 10 MB each and 25 MB a message (the one that would cross it is refused
/// <c>over_total</c>), never an executable (by extension or by content: <c>MZ</c>, ELF, <c>#!</c>), never one holding a
/// secret or a wallet or key file (<c>secret:&lt;kind&gt;</c>, see <see cref="AttachmentInspection"/>), never text too
/// large to read for secrets. File names are redacted like text before they reach a note or a blob path; a secret in a
/// name withholds its file too. Refused ones are noted on the message and never stored; at most 50 notes a message. Pure: no I/O.
/// </summary>
internal static class AttachmentScreening
{
    public const long MaxEach = 10 * 1024 * 1024;
    public const long MaxTotal = 25 * 1024 * 1024;
    public const int MaxNotes = 50;

    /// <summary>A name is read for secrets this far (a phrase is a few hundred characters at most), then cut to <see cref="MaxName"/>.</summary>
    private const int MaxNameRead = 2_000;
    private const int MaxName = 200;

    private static readonly HashSet<string> ExecutableExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "com", "bat", "cmd", "scr", "pif", "msi", "dll", "js", "jse", "vbs", "vbe", "wsf", "ps1", "jar", "apk", "app", "sh", "lnk", "hta", "cpl", "reg",
    };

    /// <summary>
    /// The notes for the message, the attachments to store and the secrets withheld. Blob names are
    /// <c>&lt;hash&gt;/&lt;n&gt;-&lt;redacted name&gt;</c>, relative to the ticket's folder: the hash is of the provider
    /// message id, so a retried delivery writes the same names.
    /// </summary>
    public static Screening Screen(IReadOnlyList<MailAttachment> attachments, string providerMessageId, TriageEngine triage)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        ArgumentNullException.ThrowIfNull(triage);
        var folder = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerMessageId)).AsSpan(0, 8));
        var notes = new List<AttachmentNote>();
        var kept = new List<KeptAttachment>();
        var withheld = new Dictionary<string, int>(StringComparer.Ordinal);
        var budget = new ScanBudget();
        long total = 0;
        foreach (var attachment in attachments.Take(MaxNotes))
        {
            var (name, found) = TextRedaction.RedactName(triage, DisplayName(attachment.FileName), fileName: true, MaxName, "…");
            var nameSecrets = found.Secrets.ToHashSet();
            var type = SingleLine(attachment.ContentType, 100) is { Length: > 0 } t ? t : "application/octet-stream";
            long size = attachment.Content.Length;
            var refused = nameSecrets.Count > 0 ? Inspection.Secret(nameSecrets).Refused
                : IsExecutable(name, attachment.Content) ? "executable"
                : size > MaxEach ? "too_large"
                : null;
            IReadOnlySet<SecretKind> secrets = nameSecrets;
            if (refused is null)
            {
                var inspection = AttachmentInspection.Inspect(name, type, attachment.Charset, attachment.Content, triage, budget);
                (refused, secrets) = (inspection.Refused, inspection.Kinds);
            }

            refused ??= total + size > MaxTotal ? "over_total" : null;
            foreach (var kind in secrets)
            {
                withheld[kind.ToName()] = withheld.GetValueOrDefault(kind.ToName()) + 1;
            }

            if (refused is not null)
            {
                notes.Add(new AttachmentNote(name, type, size, Refused: refused));
                continue;
            }

            total += size;
            var blob = $"{folder}/{notes.Count + 1}-{SafeFileName(name)}";
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(attachment.Content));
            notes.Add(new AttachmentNote(name, type, size, Blob: blob, Sha256: sha256));
            kept.Add(new KeptAttachment(blob, type, attachment.Content, sha256));
        }

        return new Screening(notes, kept, withheld);
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

    /// <summary>The name as the sender gave it, without any folder, as one line; cut only after its redaction.</summary>
    private static string DisplayName(string? fileName)
    {
        var name = SingleLine(fileName, MaxNameRead) ?? "";
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
/// <c>&lt;ticketId&gt;/&lt;note's blob&gt;</c>. Writes never overwrite (<c>If-None-Match: *</c>): what is stored for a
/// message stays as it was first stored, whoever sends a mail under the same names later.
/// </summary>
public sealed class AttachmentStore(BlobServiceClient blobs, string prefix = "")
{
    public const string ContainerName = "attachments";

    private readonly BlobContainerClient _container = blobs.GetBlobContainerClient(prefix + ContainerName);

    public BlobContainerClient Container => _container;

    public async Task CreateContainerAsync(CancellationToken cancellationToken) =>
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Uploads each attachment that is not there yet; returns how many it wrote.</summary>
    internal async Task<int> UploadAsync(string ticketId, IEnumerable<KeptAttachment> attachments, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var attachment in attachments)
        {
            var blob = _container.GetBlobClient($"{ticketId}/{attachment.Blob}");
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromBytes(attachment.Content),
                    new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = attachment.ContentType },
                        Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    },
                    cancellationToken).ConfigureAwait(false);
                written++;
            }
            catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Already stored (by the first delivery, or a concurrent one): it stays as it is.
            }
        }

        return written;
    }
}
