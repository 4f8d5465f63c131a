namespace Intake.Triage;

/// <summary>
/// Redaction of what is stored in parts or cut short. A secret is judged on the whole text it lives in — a subject and a
/// body together, a window a little longer than what is kept — and every stored part is cut out of that one judgement:
/// a secret that crosses a part's edge is redacted on each side of it, and a cut never leaves a piece of a secret that
/// the text beyond the cut would have made recognisable.
/// </summary>
internal static class TextRedaction
{
    /// <summary>
    /// How far past a cut triage reads: more than the longest secret it finds (24 words with their numbers, bullets,
    /// line breaks and zero-width characters; an extended key; a labelled value and its label), so that a secret that
    /// starts before the cut is always read whole.
    /// </summary>
    public const int Margin = 2048;

    /// <summary>What of <paramref name="text"/> triage reads when <paramref name="keep"/> characters of it are kept.</summary>
    public static string Window(string text, int keep) => text.Length <= keep + Margin ? text : text[..(keep + Margin)];

    /// <summary>
    /// The part [<paramref name="start"/>, <paramref name="end"/>) of a triaged text as stored: its secrets redacted,
    /// and when that is longer than <paramref name="keep"/>, cut where the original leaves room for
    /// <paramref name="note"/>, which is added. The cut goes through the original, never through a secret or a marker:
    /// a secret it would go through is kept as its marker when that fits, else left out whole.
    /// </summary>
    public static string Cut(string text, int start, int end, IReadOnlyList<SecretSpan> secrets, int keep, string note)
    {
        if (end - start <= keep && Redact(text, start, end, secrets) is var whole && whole.Length <= keep)
        {
            return whole;
        }

        var limit = start + Math.Max(0, Math.Min(end - start, keep) - note.Length);
        var shrinking = false;
        while (true)
        {
            // A secret across the cut is kept as its marker while that fits, else left out whole.
            for (var i = 0; i < secrets.Count; i++)
            {
                if (secrets[i].Start < limit && secrets[i].End > limit)
                {
                    limit = shrinking ? Math.Max(start, secrets[i].Start) : Math.Min(end, secrets[i].End);
                }
            }

            // Markers may be longer than what they replace: cut earlier until the kept part and the note fit.
            var kept = Redact(text, start, limit, secrets);
            var over = kept.Length + note.Length - keep;
            if (over <= 0 || limit == start)
            {
                return string.Concat(kept, note);
            }

            limit = Math.Max(start, limit - over);
            shrinking = true;
        }
    }

    /// <summary>
    /// <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>) with each secret replaced by its marker;
    /// <paramref name="secrets"/> are positions in <paramref name="text"/>, sorted and apart, and one that crosses either
    /// end is replaced on the side within.
    /// </summary>
    public static string Redact(string text, int start, int end, IReadOnlyList<SecretSpan> secrets)
    {
        var length = end - start;
        var inside = 0;
        for (var i = 0; i < secrets.Count; i++)
        {
            var secret = secrets[i];
            if (secret.Start < end && secret.End > start)
            {
                length += Marker(secret.Kind).Length - (Math.Min(secret.End, end) - Math.Max(secret.Start, start));
                inside++;
            }
        }

        if (inside == 0)
        {
            return start == 0 && end == text.Length ? text : text[start..end];
        }

        return string.Create(length, (text, start, end, secrets), static (destination, state) =>
        {
            var (source, first, last, spans) = state;
            var from = first;
            var to = 0;
            for (var i = 0; i < spans.Count; i++)
            {
                var secret = spans[i];
                if (secret.Start >= last || secret.End <= first)
                {
                    continue;
                }

                var secretStart = Math.Max(secret.Start, first);
                source.AsSpan(from, secretStart - from).CopyTo(destination[to..]);
                to += secretStart - from;
                var marker = Marker(secret.Kind);
                marker.CopyTo(destination[to..]);
                to += marker.Length;
                from = Math.Min(secret.End, last);
            }

            source.AsSpan(from, last - from).CopyTo(destination[to..]);
        });
    }

    /// <summary>Sorts secrets found by separate passes and merges the ones that overlap.</summary>
    public static void Normalize(List<SecretSpan> spans)
    {
        spans.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        MergeOverlapping(spans);
    }

    /// <summary>Overlapping findings (sorted by start) become one redaction, of the kind found first.</summary>
    public static void MergeOverlapping(List<SecretSpan> spans)
    {
        var write = 0;
        for (var read = 0; read < spans.Count; read++)
        {
            var span = spans[read];
            if (write > 0 && span.Start < spans[write - 1].End)
            {
                var last = spans[write - 1];
                spans[write - 1] = last with { End = Math.Max(last.End, span.End) };
                continue;
            }

            spans[write++] = span;
        }

        spans.RemoveRange(write, spans.Count - write);
    }

    /// <summary>
    /// A file name as triage reads it: '_', '.', '-' and '+' stand between words ("seed_phrase.txt",
    /// "abandon-ability-….txt"), character for character, so positions found in it are positions in the name.
    /// </summary>
    /// <summary>
    /// A name with its secrets redacted and cut to <paramref name="keep"/> characters (with <paramref name="note"/>), and
    /// what triage found in it. A file name reads '_', '.', '-' and '+' as spaces ("seed_abandon_ability….txt"), while the
    /// name kept keeps them.
    /// </summary>
    public static (string Name, TriageResult Found) RedactName(TriageEngine triage, string name, bool fileName, int keep, string note)
    {
        ArgumentNullException.ThrowIfNull(triage);
        ArgumentNullException.ThrowIfNull(name);
        var window = Window(name, keep);
        var found = triage.Triage(fileName ? FileNameAsText(window) : window);
        return (Cut(window, 0, window.Length, found.SecretSpans, keep, note), found);
    }

    private static string FileNameAsText(string name) =>
        string.Create(name.Length, name, static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = source[i] is '_' or '.' or '-' or '+' ? ' ' : source[i];
            }
        });

    public static string Marker(SecretKind kind) => kind switch
    {
        SecretKind.Mnemonic => "[REDACTED:mnemonic]",
        SecretKind.PrivateKey => "[REDACTED:private_key]",
        SecretKind.Password => "[REDACTED:password]",
        SecretKind.ApiSecret => "[REDACTED:api_secret]",
        _ => "[REDACTED:otp]",
    };
}
