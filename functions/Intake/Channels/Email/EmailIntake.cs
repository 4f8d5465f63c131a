using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Email;

/// <summary>
/// What became of a mail: <c>created</c>, <c>joined</c> (a reply to a ticket), <c>duplicate</c> (a redelivery),
/// <c>bounce_recorded</c> (a bounce of a message we sent), <c>ignored</c> (our own mail, a bounce of nothing of ours), or
/// <c>blocked</c> (its sender is blocked: recorded as blocked, no ticket, no answer). Only SendGrid reads it.
/// </summary>
public sealed record EmailOutcome(string Status, string? TicketId = null, string? Reference = null)
{
    public static EmailOutcome Ignored { get; } = new("ignored");

    public static EmailOutcome Blocked { get; } = new("blocked");
}

/// <summary>
/// The email channel's decisions: our own mail is ignored; a bounce marks the outbound message it names and makes no
/// ticket; anything else becomes a message — joining the ticket it names (by <c>In-Reply-To</c>/<c>References</c>
/// against the Message-IDs we stored and sent, then by a <c>[T-XXXXXX]</c> in the subject) only when its sender is that
/// ticket's contact and SPF or DKIM passed for the sender's domain, else a new ticket linked to it and flagged
/// <c>unverified_sender</c> — with its RFC 3834 and spam flags, its attachments screened, and only their content that
/// passed stored in Blob Storage once the ticket is known.
/// </summary>
public sealed partial class EmailIntake(
    TicketIntake intake,
    TicketStore store,
    OutboundLog outboundLog,
    AttachmentStore attachments,
    TriageEngine triage,
    IOptionsMonitor<SendGridOptions> sendGrid,
    IOptionsMonitor<EmailInboundOptions> inbound,
    ILogger<EmailIntake> logger)
{
    public const string Channel = ChannelNames.Email;

    /// <summary>How many ids of a thread or a bounce are looked up at most: each is a storage read.</summary>
    private const int MaxLookups = 20;

    internal async Task<EmailOutcome> AcceptAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);

        // Bounces and automatic mail first, before anything about the sender: a bounce's From is often no address at all.
        var flags = AutomaticMail.Flags(email.Headers, email.EnvelopeSender, email.IsDeliveryReport, email.IsReport).ToList();
        if (flags.Contains(ChannelFlags.Bounce))
        {
            return await RecordBounceAsync(email, cancellationToken).ConfigureAwait(false);
        }

        if (email.From is { } from && IsOurOwn(from.Address))
        {
            // RFC 3834: never answer our own address or domain, and never let our mail come back as a ticket.
            LogOwnMail(logger, EmailIgnore.OwnAddress);
            return EmailOutcome.Ignored;
        }

        if (email.SpamScoreValue is { } score && score > inbound.CurrentValue.SpamThreshold)
        {
            flags.Add(ChannelFlags.SpamSuspected);
        }

        var providerId = DedupeKey(email);
        var address = email.From?.Address.Trim() ?? "";
        if (address.Length == 0)
        {
            // Kept rather than refused (SendGrid does not retry a 4xx): agents can still read it, nobody is answered.
            flags.Add(ChannelFlags.NoSenderAddress);
            LogNoSenderAddress(logger);
        }

        var sender = address.Length == 0 ? SenderCheck.None : SenderAuthentication.Check(address, email.ReportedEnvelopeSender, email.Spf, email.Dkim);
        var named = await FindNamedTicketAsync(email, address, cancellationToken).ConfigureAwait(false);
        string? joinTicketId = null;
        string? linkTicketId = null;
        if (named is not null && IsContact(named, address) && sender.Verified)
        {
            joinTicketId = named.Id;
        }
        else if (named is not null)
        {
            // A thread id or a reference is in every mail we send and a From is easy to forge: only the ticket's contact,
            // proven by SPF or DKIM, joins. Anyone else gets a ticket of their own, linked for agents, told nothing of the other.
            linkTicketId = named.Id;
            flags.Add(ChannelFlags.UnverifiedSender);
            LogUnverifiedThread(logger, named.Id, sender.Name);
        }

        var (notes, kept, withheld) = AttachmentScreening.Screen(email.Attachments, providerId, triage);
        var name = email.From is { Name: { } fromName } && !string.IsNullOrWhiteSpace(fromName) ? fromName.Trim() : email.From is null ? email.NameWithoutAddress : null;
        var subject = string.IsNullOrWhiteSpace(email.Subject) ? null : email.Subject.Trim();
        var message = new InboundMessage(
            Channel,
            address.Length == 0 ? new Contact(Channel, NoAddressContactId(providerId), name) : new Contact(Channel, address.ToLowerInvariant(), name, address),
            EmailText.NewText(email.Body),
            subject,
            providerId,
            LanguageHint: null,
            joinTicketId,
            JoinOpenTicket: false)
        {
            StoredText = email.Body,
            Details = new MessageDetails(notes, Metadata(email, sender)),
            Flags = flags,
            ReplyToId = email.MessageId is { } id && EmailMessageIds.IsWellFormed(id) ? $"<{id}>" : null,
            SenderVerified = sender.Verified,
            LinkTicketId = linkTicketId,
            WithheldSecrets = withheld,
        };

        var result = await intake.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        if (result.Blocked)
        {
            // Recorded as blocked by intake; its attachments are not stored.
            return EmailOutcome.Blocked;
        }

        // After intake, so that the ticket's folder is known. A duplicate only finishes what its first delivery left
        // undone: the blobs its stored message names, with the content it recorded.
        var (folder, uploads) = result.Duplicate ? await ResumableAsync(providerId, kept, cancellationToken).ConfigureAwait(false) : (result.Ticket.Id, kept);
        var uploaded = folder is null ? 0 : await attachments.UploadAsync(folder, uploads, cancellationToken).ConfigureAwait(false);
        var status = result.Duplicate ? "duplicate" : result.Created ? "created" : "joined";
        var withheldCount = withheld.Values.Sum();
        LogAccepted(logger, result.Ticket.Id, status, notes.Count, uploaded, withheldCount);
        return new EmailOutcome(status, result.Ticket.Id, result.Ticket.Reference);
    }

    /// <summary>
    /// For a redelivered mail, the attachments an interrupted first delivery may not have stored: those its stored message
    /// notes under the same blob name with the same SHA-256, in the folder of the ticket that holds it (which need not be
    /// the ticket this delivery named). Anything else a mail under a known Message-ID carries is not stored.
    /// </summary>
    private async Task<(string? TicketId, List<KeptAttachment> Kept)> ResumableAsync(string providerId, List<KeptAttachment> kept, CancellationToken cancellationToken)
    {
        if (kept.Count == 0 || await store.FindByProviderMessageAsync(Channel, providerId, cancellationToken).ConfigureAwait(false) is not { } holder
            || await store.FindMessageAsync(holder.Ticket.Id, providerId, cancellationToken).ConfigureAwait(false) is not { Details: { } details })
        {
            return (null, []);
        }

        var recorded = details.Attachments.Where(n => n is { Blob: not null, Sha256: not null }).DistinctBy(n => n.Blob).ToDictionary(n => n.Blob!, n => n.Sha256!, StringComparer.Ordinal);
        return (holder.Ticket.Id, [.. kept.Where(k => recorded.TryGetValue(k.Blob, out var sha256) && string.Equals(sha256, k.Sha256, StringComparison.Ordinal))]);
    }

    /// <summary>
    /// A bounce names the message that could not be delivered: in the returned message's headers, the report's
    /// <c>Original-Message-ID</c>, or its own <c>In-Reply-To</c>/<c>References</c>. Each of ours it names is marked
    /// <c>bounced</c> on its ticket; a bounce is never a ticket.
    /// </summary>
    private async Task<EmailOutcome> RecordBounceAsync(ParsedEmail email, CancellationToken cancellationToken)
    {
        // A report names the message in its machine-readable parts; an old-style bounce (from MAILER-DAEMON, no report)
        // quotes it in its text or attaches it.
        var reportText = email.ReportText ?? string.Join('\n', [email.Body, .. email.Attachments.Where(IsReturnedMessage).Select(a => Encoding.UTF8.GetString(a.Content))]);
        var named = email.ParentIds.Concat(ReportedIds(reportText))
            .Select(EmailMessageIds.Normalize)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxLookups);
        EmailOutcome? outcome = null;
        foreach (var id in named)
        {
            if (await store.FindByProviderMessageAsync(Channel, id, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                continue;
            }

            var outbound = await outboundLog.ListAsync(stored.Ticket.Id, cancellationToken).ConfigureAwait(false);
            foreach (var record in outbound.Where(r => string.Equals(r.ProviderMessageId, id, StringComparison.Ordinal)))
            {
                if (record.Status != OutboundStatus.Bounced)
                {
                    await outboundLog.MarkAsync(stored.Ticket.Id, record, OutboundStatus.Bounced, null, cancellationToken).ConfigureAwait(false);
                }

                LogBounceRecorded(logger, stored.Ticket.Id, record.Key);
                outcome = new EmailOutcome("bounce_recorded", stored.Ticket.Id, stored.Ticket.Reference);
            }
        }

        if (outcome is null)
        {
            LogBounceUnmatched(logger);
        }

        return outcome ?? EmailOutcome.Ignored;
    }

    /// <summary>
    /// The ticket a mail names: by the ids it answers (newest first), then by a <c>[T-XXXXXX]</c> in its subject. Of
    /// several, the first whose contact is the sender; else the first found (to link a new ticket to).
    /// </summary>
    private async Task<Ticket?> FindNamedTicketAsync(ParsedEmail email, string address, CancellationToken cancellationToken)
    {
        Ticket? first = null;
        var lookups = 0;
        foreach (var id in email.ParentIds.Select(EmailMessageIds.Normalize).Distinct(StringComparer.Ordinal).Take(MaxLookups))
        {
            lookups++;
            if (await store.FindByProviderMessageAsync(Channel, id, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                if (IsContact(stored.Ticket, address))
                {
                    return stored.Ticket;
                }

                first ??= stored.Ticket;
            }
        }

        foreach (Match match in SubjectReference().Matches(email.Subject ?? ""))
        {
            if (++lookups > MaxLookups)
            {
                break;
            }

            if (TicketIds.TryNormalizeReference(match.Groups[1].Value, out var reference)
                && await store.FindByReferenceAsync(reference, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                if (IsContact(stored.Ticket, address))
                {
                    return stored.Ticket;
                }

                first ??= stored.Ticket;
            }
        }

        return first;
    }

    private static bool IsContact(Ticket ticket, string address) =>
        address.Length > 0 && string.Equals(ticket.Contact.Email?.Trim(), address, StringComparison.OrdinalIgnoreCase);

    /// <summary>A mail without an address is a contact of its own: it is nobody's thread and joins nobody's ticket.</summary>
    private static string NoAddressContactId(string providerId) =>
        "no-address:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(providerId)))[..16];

    /// <summary>Logs why a post was refused (the endpoint's 4xx), by its code only.</summary>
    internal void Refused(EmailRefusal reason, int status) => LogRefused(logger, reason, status);

    /// <summary>The Message-ID (normalised), or for a mail without one a stable id of what it says and who sent it.</summary>
    internal static string DedupeKey(ParsedEmail email)
    {
        if (email.MessageId is { } id)
        {
            return EmailMessageIds.Normalize(id);
        }

        var content = $"{email.From?.Address.ToLowerInvariant()}\n{email.Headers["Date"]?.Trim()}\n{email.Subject}\n{email.Body}";
        return "synthetic:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>
    /// What agents see of the mail's origin: SendGrid's SPF and DKIM verdicts as given, the envelope sender SPF checked,
    /// and our reading of them — <c>senderVerified</c> (<c>true</c>/<c>false</c>) and <c>senderVerifiedBy</c>
    /// (<c>spf</c>, <c>dkim</c>, <c>spf,dkim</c> or <c>none</c>).
    /// </summary>
    private static Dictionary<string, string> Metadata(ParsedEmail email, SenderCheck sender)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        Add("spf", email.Spf);
        Add("dkim", email.Dkim);
        Add("envelopeFrom", email.ReportedEnvelopeSender is { Length: > 0 and <= 320 } envelope ? envelope : null);
        Add("senderVerified", sender.Verified ? "true" : "false");
        Add("senderVerifiedBy", sender.Name);
        Add("spamScore", email.SpamScore);
        Add("senderIp", email.SenderIp);
        return metadata;

        void Add(string key, string? value)
        {
            if (value is not null)
            {
                metadata[key] = value;
            }
        }
    }

    private bool IsOurOwn(string address)
    {
        if (sendGrid.CurrentValue.FromEmail is not { Length: > 0 } ours)
        {
            return false;
        }

        var at = ours.LastIndexOf('@');
        var sender = address.Trim();
        return string.Equals(sender, ours, StringComparison.OrdinalIgnoreCase)
            || (at > 0 && sender.EndsWith(ours[at..], StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsReturnedMessage(MailAttachment attachment) =>
        attachment.ContentType.StartsWith("message/", StringComparison.OrdinalIgnoreCase) || attachment.ContentType.StartsWith("text/rfc822-headers", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> ReportedIds(string reportText) =>
        ReportedMessageId().Matches(reportText).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\[\s*(T-?[A-Za-z0-9]{6})\s*\]", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SubjectReference();

    /// <summary>
    /// A <c>Message-ID:</c> or <c>Original-Message-ID:</c> field in a report's text, perhaps folded. Every regex over what
    /// a sender wrote is non-backtracking (linear in its input): with backtracking this one ran for hours on a report
    /// naming a Message-ID of 200,000 <c>@</c>.
    /// </summary>
    [GeneratedRegex(@"(?im)^[ \t]*(?:Original-)?Message-ID[ \t]*:\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ReportedMessageId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Email ignored: {Reason}")]
    private static partial void LogOwnMail(ILogger logger, EmailIgnore reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, EmailRefusal reason, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email names no usable sender address in From, Sender, Reply-To, Return-Path or the envelope; kept, flagged no_sender_address, not acknowledged")]
    private static partial void LogNoSenderAddress(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce recorded on ticket {TicketId} for outbound message {OutboundKey}")]
    private static partial void LogBounceRecorded(ILogger logger, string ticketId, string outboundKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email ignored: BounceOfNothingOurs (a bounce names no message of ours; nothing stored)")]
    private static partial void LogBounceUnmatched(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email names ticket {TicketId}, but its sender is not that ticket's contact proven by SPF or DKIM ({Verified}); a new linked ticket instead")]
    private static partial void LogUnverifiedThread(ILogger logger, string ticketId, string verified);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Status} ticket {TicketId} ({Attachments} attachments, {Stored} stored, {Withheld} secrets withheld)")]
    private static partial void LogAccepted(ILogger logger, string ticketId, string status, int attachments, int stored, int withheld);
}

/// <summary>Why a mail was read and then ignored (no ticket): a short code for the log.</summary>
internal enum EmailIgnore
{
    OwnAddress,
}

/// <summary>Message-IDs as keys: the form we store, look up and compare them in.</summary>
public static class EmailMessageIds
{
    private const int MaxLength = 250;

    /// <summary>
    /// Without angle brackets, its domain lower-cased; an id too long for a table key or not plain ASCII is replaced by
    /// a hash of itself, so it still finds whatever it was stored for.
    /// </summary>
    public static string Normalize(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var bare = id.Trim().TrimStart('<').TrimEnd('>').Trim();
        var at = bare.LastIndexOf('@');
        if (at >= 0)
        {
            bare = string.Concat(bare.AsSpan(0, at + 1), bare[(at + 1)..].ToLowerInvariant());
        }

        return bare.Length <= MaxLength && bare.All(c => c is > ' ' and <= '~')
            ? bare
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bare)));
    }

    /// <summary>An id fit to go back out in <c>In-Reply-To</c>: plain printable ASCII with an <c>@</c>, no brackets.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length is > 2 and <= MaxLength && id.Contains('@', StringComparison.Ordinal) && id.All(c => c is > ' ' and <= '~' and not '<' and not '>');
}
