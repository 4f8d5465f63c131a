namespace Intake.Triage.Text;

/// <summary>
/// Expands a rule phrase into what the matcher looks for: <c>{a|b}</c> alternatives multiply out, <c>*</c> at either
/// end drops that boundary, and <c>a .. b</c> splits the phrase into parts that must appear in order, close together.
/// </summary>
/// <summary>One part of a phrase: its variants, and how many characters at most may stand before it after the part before.</summary>
internal sealed record PhrasePart(List<Phrase> Variants, int MaxGap);

internal static class PhraseSyntax
{
    public const string ProximitySeparator = " .. ";

    /// <summary>The gap of a part written after <c> .. </c>: the rules' proximity window.</summary>
    public const int WindowGap = -1;

    /// <summary>How far a word may follow a prefix word inside a phrase ("приватн* ключ*"): the rest of the word and a space or two.</summary>
    public const int PrefixGap = 24;

    /// <summary>
    /// A phrase whose alternatives multiply out to more than this is matched as adjacent pieces instead (the pieces'
    /// variants add up rather than multiply), so that a lexicon written with generous alternatives stays small.
    /// </summary>
    public const int MaxVariants = 64;

    /// <summary>One list of alternatives per part; a plain phrase has one part.</summary>
    public static List<List<Phrase>> Parse(string phrase, TextFolder folder) => [.. ParseParts(phrase, folder, split: false).Select(p => p.Variants)];

    /// <summary>
    /// The parts of a phrase, each with the most characters that may stand between it and the part before: the proximity
    /// window after <c> .. </c>, <see cref="PrefixGap"/> after a prefix word, and for a large phrase cut into adjacent
    /// pieces, one space (or nothing between Chinese, Japanese or Korean pieces).
    /// </summary>
    public static List<PhrasePart> ParseParts(string phrase, TextFolder folder, bool split = true)
    {
        var parts = new List<PhrasePart>();
        foreach (var (part, gap) in SplitParts(phrase))
        {
            var pieces = split ? Pieces(part) : [(part, 0)];
            for (var k = 0; k < pieces.Count; k++)
            {
                var variants = new List<Phrase>();
                foreach (var expanded in ExpandAlternatives(pieces[k].Text))
                {
                    variants.Add(ToPhrase(expanded, folder, phrase));

                    // People drop apostrophes: "didn't" also matches "didnt".
                    if (expanded.Contains('\'', StringComparison.Ordinal))
                    {
                        variants.Add(ToPhrase(expanded.Replace("'", "", StringComparison.Ordinal), folder, phrase));
                    }
                }

                parts.Add(new PhrasePart(variants, k == 0 ? gap : pieces[k].Gap));
            }
        }

        if (parts.Count == 0)
        {
            throw new InvalidDataException($"Empty phrase in triage rules: '{phrase}'.");
        }

        return parts;
    }

    /// <summary>
    /// Cuts a part whose alternatives multiply out past <see cref="MaxVariants"/> into adjacent pieces: at a space
    /// between two words (the pieces then stand one character apart) or between two groups of Chinese, Japanese or
    /// Korean alternatives (no character apart). Each piece keeps something that is never empty. A part that cannot be
    /// cut so stays whole.
    /// </summary>
    private static List<(string Text, int Gap)> Pieces(string part)
    {
        var segments = Segments(part);
        long total = 1;
        foreach (var segment in segments)
        {
            total *= segment.Alternatives;
        }

        if (total <= MaxVariants)
        {
            return [(part, 0)];
        }

        var pieces = new List<(string Text, int Gap)>();
        var current = new List<Segment>();
        long product = 1;
        var gap = 0;
        foreach (var segment in segments)
        {
            if (current.Count > 0 && product * segment.Alternatives > MaxVariants && current.Any(s => s.Mandatory)
                && CutBefore(current, segment) is { } cutGap)
            {
                pieces.Add((Join(current), gap));
                gap = cutGap;
                current = [];
                product = 1;
            }

            current.Add(segment);
            product *= segment.Alternatives;
        }

        if (!current.Any(s => s.Mandatory) && pieces.Count > 0)
        {
            // The tail is only optional words: it belongs to the piece before.
            var (text, lastGap) = pieces[^1];
            pieces[^1] = (text + (gap == 1 ? " " : "") + Join(current), lastGap);
        }
        else
        {
            pieces.Add((Join(current), gap));
        }

        return pieces;
    }

    /// <summary>The gap a cut before <paramref name="next"/> leaves, or null when the phrase cannot be cut there.</summary>
    private static int? CutBefore(List<Segment> current, Segment next)
    {
        var last = current[^1];
        if (!last.Group && last.Text.Length > 0 && last.Text[^1] == ' ' && last.Text.Trim().Length == 0 && current.Count > 1)
        {
            current.RemoveAt(current.Count - 1);
            return 1;
        }

        if (last.Group && next.Group && last.EdgesAreCjk && next.EdgesAreCjk)
        {
            return 0;
        }

        return null;
    }

    private static string Join(List<Segment> segments) => string.Concat(segments.Select(s => s.Group ? "{" + s.Text + "}" : s.Text));

    private static List<Segment> Segments(string part)
    {
        var segments = new List<Segment>();
        var i = 0;
        while (i < part.Length)
        {
            var open = part.IndexOf('{', i);
            if (open < 0)
            {
                segments.Add(Segment.Literal(part[i..]));
                break;
            }

            if (open > i)
            {
                segments.Add(Segment.Literal(part[i..open]));
            }

            var close = part.IndexOf('}', open);
            if (close < 0)
            {
                throw new InvalidDataException($"Unclosed '{{' in triage phrase '{part}'.");
            }

            segments.Add(Segment.Of(part[(open + 1)..close]));
            i = close + 1;
        }

        return segments;
    }

    private sealed record Segment(string Text, bool Group, int Alternatives, bool Mandatory, bool EdgesAreCjk)
    {
        public static Segment Literal(string text) => new(text, false, 1, text.Trim().Trim('*').Length > 0, false);

        public static Segment Of(string alternatives)
        {
            var options = alternatives.Split('|');
            var cjk = options.All(o => o.Length == 0 || (!CharClass.IsWord(o[0]) && !CharClass.IsWord(o[^1]) && o[0] != ' ' && o[^1] != ' '));
            return new(alternatives, true, options.Length, options.All(o => o.Trim().Length > 0), cjk);
        }
    }

    /// <summary>
    /// The parts of a phrase: split at <c> .. </c>, and after a word that ends in <c>*</c> inside a phrase
    /// ("приватн* ключ*"), since the matcher looks for literal text: the words after it must follow closely.
    /// </summary>
    private static IEnumerable<(string Part, int Gap)> SplitParts(string phrase)
    {
        foreach (var part in phrase.Split(ProximitySeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = part;
            var gap = WindowGap;
            int star;
            while ((star = rest.IndexOf("* ", StringComparison.Ordinal)) > 0 && !InsideBraces(rest, star))
            {
                yield return (rest[..(star + 1)], gap);
                rest = rest[(star + 2)..].TrimStart();
                gap = PrefixGap;
            }

            yield return (rest, gap);
        }
    }

    private static bool InsideBraces(string text, int position) => text.LastIndexOf('{', position) > text.LastIndexOf('}', position);

    /// <summary>A phrase that must match as one piece of text (labels, language cues): no proximity parts.</summary>
    public static List<Phrase> ParseSingle(string phrase, TextFolder folder)
    {
        var parts = Parse(phrase, folder);
        return parts.Count == 1
            ? parts[0]
            : throw new InvalidDataException($"Triage phrase '{phrase}' must be one piece of text here: no ' .. ' and no '*' inside it.");
    }

    /// <summary>Folds a plain word or phrase (no syntax) as the matcher sees text.</summary>
    public static string Fold(string text, TextFolder folder) => Normalize(folder.Fold(text.Trim()));

    private static Phrase ToPhrase(string text, TextFolder folder, string original)
    {
        var left = true;
        var right = true;
        text = text.Trim();
        if (text.StartsWith('*'))
        {
            left = false;
            text = text[1..];
        }

        if (text.EndsWith('*'))
        {
            right = false;
            text = text[..^1];
        }

        var folded = Fold(text, folder);
        if (folded.Length == 0 || folded.Contains('*') || folded.Contains('{') || folded.Contains('|'))
        {
            throw new InvalidDataException($"Malformed phrase in triage rules: '{original}'.");
        }

        return new Phrase(folded, left && CharClass.IsWord(folded[0]), right && CharClass.IsWord(folded[^1]));
    }

    /// <summary>Collapses runs of spaces, as the author of a rule means one space wherever they typed some.</summary>
    private static string Normalize(string folded)
    {
        return string.Join(' ', folded.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static IEnumerable<string> ExpandAlternatives(string text)
    {
        var open = text.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            yield return text;
            yield break;
        }

        var close = text.IndexOf('}', open);
        if (close < 0)
        {
            throw new InvalidDataException($"Unclosed '{{' in triage phrase '{text}'.");
        }

        var head = text[..open];
        var tail = text[(close + 1)..];
        foreach (var option in text[(open + 1)..close].Split('|'))
        {
            foreach (var rest in ExpandAlternatives(tail))
            {
                // An empty alternative ("{a|}") makes the word optional; do not leave a double space behind.
                yield return (head + option + rest).Replace("  ", " ", StringComparison.Ordinal);
            }
        }
    }
}
