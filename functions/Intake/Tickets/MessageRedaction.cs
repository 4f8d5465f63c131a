using Intake.Triage;

namespace Intake.Tickets;

/// <summary>What of an inbound message reaches storage, every part of it redacted; <see cref="Decision"/> decides the ticket.</summary>
internal sealed record RedactedMessage(TriageResult Decision, string? Subject, string Body, Contact Contact, MessageDetails? Details);

/// <summary>
/// Redacts an inbound message before anything of it is stored. One triage pass over the subject and the text together
/// decides the ticket, and the stored subject and body are cut out of that pass, so a secret split between them, or
/// labelled in one and written in the other, is redacted on both sides. A full body kept instead of the text (email's,
/// with its quoted history) is redacted by a pass of its own that sees the subject with it, and loses besides everything
/// the deciding pass redacted in the text. Long texts are read a little past what is kept, then cut. The contact's name,
/// attachments' file names and the metadata's values are redacted too (a file name reading '_', '.', '-' and '+' as spaces), and a secret in
/// them counts on the ticket as one in the text.
/// </summary>
internal static class MessageRedaction
{
    /// <summary>The longest subject a ticket keeps.</summary>
    public const int MaxSubjectLength = 1_000;

    /// <summary>The longest contact or file name a ticket keeps.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The longest metadata value a message keeps (channels clip theirs shorter).</summary>
    public const int MaxMetadataLength = 1_000;

    private const string ShortCut = "…";

    public static RedactedMessage Redact(TriageEngine triage, InboundMessage message)
    {
        var subject = string.IsNullOrWhiteSpace(message.Subject) ? null : TextRedaction.Window(message.Subject, MaxSubjectLength);
        var text = TextRedaction.Window(message.Text, TicketStore.MaxTextLength);
        var bodyStart = subject is null ? 0 : subject.Length + 1;
        var read = subject is null ? text : string.Concat(subject, "\n", text);
        var decision = triage.Triage(read);

        string body;
        var subjectSecrets = decision.SecretSpans;
        if (message.StoredText is { } stored)
        {
            var full = TextRedaction.Window(stored, TicketStore.MaxTextLength);
            var fullRead = subject is null ? full : string.Concat(subject, "\n", full);
            var own = triage.Triage(fullRead);
            var secrets = new List<SecretSpan>(own.SecretSpans);
            AddAligned(read, bodyStart, decision.SecretSpans, fullRead, bodyStart, secrets);
            TextRedaction.Normalize(secrets);
            body = TextRedaction.Cut(fullRead, bodyStart, fullRead.Length, secrets, TicketStore.MaxTextLength, TicketStore.CutNote);
            if (subject is not null && own.SecretSpans.Any(s => s.Start < subject.Length))
            {
                // The subject is the same in both passes; what either found in it goes.
                var both = new List<SecretSpan>(decision.SecretSpans);
                both.AddRange(own.SecretSpans.Where(s => s.Start < subject.Length));
                TextRedaction.Normalize(both);
                subjectSecrets = both;
            }
        }
        else
        {
            body = TextRedaction.Cut(read, bodyStart, read.Length, decision.SecretSpans, TicketStore.MaxTextLength, TicketStore.CutNote);
        }

        var found = new List<TriageResult>();
        var contact = message.Contact.Name is { } name ? message.Contact with { Name = RedactName(triage, name, fileName: false, found) } : message.Contact;
        var details = message.Details is { } given && (given.Attachments.Count > 0 || given.Metadata.Count > 0)
            ? given with
            {
                Attachments = [.. given.Attachments.Select(a => a with { Name = RedactName(triage, a.Name, fileName: true, found) })],
                Metadata = given.Metadata.ToDictionary(m => m.Key, m => RedactValue(triage, m.Value, found), StringComparer.Ordinal),
            }
            : message.Details;
        return new RedactedMessage(
            Count(decision, found),
            subject is null ? null : TextRedaction.Cut(read, 0, subject.Length, subjectSecrets, MaxSubjectLength, ShortCut),
            body,
            contact,
            details);
    }

    /// <summary>A name redacted and cut to <paramref name="keep"/>; what triage found in it, when anything, goes to <paramref name="found"/>.</summary>
    private static string RedactName(TriageEngine triage, string name, bool fileName, List<TriageResult> found, int keep = MaxNameLength)
    {
        var (redacted, result) = TextRedaction.RedactName(triage, name, fileName, keep, ShortCut);
        if (result.Secrets.Count > 0)
        {
            found.Add(result);
        }

        return redacted;
    }

    /// <summary>
    /// A metadata value (a provider's field: an m.me link's <c>ref</c>, a referral's URL, a button's payload) redacted like a
    /// name, so that whatever the sender could put in one is never stored as written; cut at <see cref="MaxMetadataLength"/>.
    /// </summary>
    private static string RedactValue(TriageEngine triage, string value, List<TriageResult> found) =>
        value.Length == 0 ? value : RedactName(triage, value, fileName: false, found, MaxMetadataLength);

    /// <summary>Secrets in names count on the ticket as secrets in the text: their redactions, and an exposed one makes it urgent and flagged.</summary>
    private static TriageResult Count(TriageResult decision, List<TriageResult> names)
    {
        if (names.Count == 0)
        {
            return decision;
        }

        var redactions = new Dictionary<SecretKind, int>(decision.Redactions);
        var exposed = false;
        foreach (var name in names)
        {
            foreach (var (kind, count) in name.Redactions)
            {
                redactions[kind] = redactions.GetValueOrDefault(kind) + count;
            }

            exposed |= name.SecretExposed;
        }

        var kinds = redactions.Keys.ToArray();
        Array.Sort(kinds);
        return decision with
        {
            Secrets = kinds,
            Redactions = redactions,
            Urgency = exposed ? Urgency.Urgent : decision.Urgency,
            Flags = exposed && !decision.SecretExposed ? [.. decision.Flags, TriageFlags.SecretExposed] : decision.Flags,
        };
    }

    /// <summary>
    /// Adds to <paramref name="into"/> the secrets of <paramref name="text"/> (from <paramref name="textStart"/>: what
    /// triage read) at their places in <paramref name="full"/> (from <paramref name="fullStart"/>: the body it was taken
    /// from, with whole lines left out — quoted history, a signature). Each line of the text is matched, in order, to a
    /// line of the full body with the same content (spaces at the ends aside). A piece of a secret on a line that
    /// matches none, which a text made of the body's lines never has, is redacted wherever it occurs in the full body.
    /// </summary>
    private static void AddAligned(string text, int textStart, IReadOnlyList<SecretSpan> secrets, string full, int fullStart, List<SecretSpan> into)
    {
        if (!secrets.Any(s => s.End > textStart))
        {
            return;
        }

        var fullLines = Lines(full, fullStart);
        var byContent = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < fullLines.Count; i++)
        {
            var (start, end) = fullLines[i];
            var key = full[start..end];
            if (!byContent.TryGetValue(key, out var at))
            {
                byContent[key] = at = [];
            }

            at.Add(i);
        }

        var lookup = byContent.GetAlternateLookup<ReadOnlySpan<char>>();
        var pointer = -1;
        var first = 0;
        foreach (var (start, end) in Lines(text, textStart))
        {
            var match = -1;
            if (end > start && lookup.TryGetValue(text.AsSpan(start, end - start), out var candidates))
            {
                var next = candidates.BinarySearch(pointer + 1);
                next = next >= 0 ? next : ~next;
                match = next < candidates.Count ? candidates[next] : -1;
            }

            if (match >= 0)
            {
                pointer = match;
            }

            while (first < secrets.Count && secrets[first].End <= start)
            {
                first++;
            }

            for (var s = first; s < secrets.Count && secrets[s].Start < end; s++)
            {
                var secret = secrets[s];
                var pieceStart = Math.Max(secret.Start, start);
                var pieceEnd = Math.Min(secret.End, end);
                if (pieceStart >= pieceEnd)
                {
                    continue;
                }

                if (match >= 0)
                {
                    var shift = fullLines[match].Start - start;
                    into.Add(secret with { Start = pieceStart + shift, End = pieceEnd + shift });
                    continue;
                }

                var piece = text.AsSpan(pieceStart, pieceEnd - pieceStart);
                for (var from = fullStart; from < full.Length;)
                {
                    var found = full.AsSpan(from).IndexOf(piece, StringComparison.Ordinal);
                    if (found < 0)
                    {
                        break;
                    }

                    into.Add(secret with { Start = from + found, End = from + found + piece.Length });
                    from += found + piece.Length;
                }
            }
        }
    }

    /// <summary>The lines of <paramref name="text"/> from <paramref name="from"/>, each without the white space at its ends.</summary>
    private static List<(int Start, int End)> Lines(string text, int from)
    {
        var lines = new List<(int, int)>();
        var start = from;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var (trimmedStart, trimmedEnd) = (start, end);
            while (trimmedStart < trimmedEnd && char.IsWhiteSpace(text[trimmedStart]))
            {
                trimmedStart++;
            }

            while (trimmedEnd > trimmedStart && char.IsWhiteSpace(text[trimmedEnd - 1]))
            {
                trimmedEnd--;
            }

            lines.Add((trimmedStart, trimmedEnd));
            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        return lines;
    }
}
