namespace Intake.Triage.Text;

/// <summary>
/// Expands a rule phrase into what the matcher looks for: <c>{a|b}</c> alternatives multiply out, <c>*</c> at either
/// end drops that boundary, and <c>a .. b</c> splits the phrase into parts that must appear in order, close together.
/// </summary>
internal static class PhraseSyntax
{
    public const string ProximitySeparator = " .. ";

    /// <summary>One list of alternatives per part; a plain phrase has one part.</summary>
    public static List<List<Phrase>> Parse(string phrase, TextFolder folder)
    {
        var parts = new List<List<Phrase>>();
        foreach (var part in SplitParts(phrase))
        {
            var variants = new List<Phrase>();
            foreach (var expanded in ExpandAlternatives(part))
            {
                variants.Add(ToPhrase(expanded, folder, phrase));

                // People drop apostrophes: "didn't" also matches "didnt".
                if (expanded.Contains('\'', StringComparison.Ordinal))
                {
                    variants.Add(ToPhrase(expanded.Replace("'", "", StringComparison.Ordinal), folder, phrase));
                }
            }

            parts.Add(variants);
        }

        if (parts.Count == 0)
        {
            throw new InvalidDataException($"Empty phrase in triage rules: '{phrase}'.");
        }

        return parts;
    }

    /// <summary>
    /// The parts of a phrase: split at <c> .. </c>, and after a word that ends in <c>*</c> inside a phrase
    /// ("приватн* ключ*"), since the matcher looks for literal text: the words after it must follow closely.
    /// </summary>
    private static IEnumerable<string> SplitParts(string phrase)
    {
        foreach (var part in phrase.Split(ProximitySeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = part;
            int star;
            while ((star = rest.IndexOf("* ", StringComparison.Ordinal)) > 0 && !InsideBraces(rest, star))
            {
                yield return rest[..(star + 1)];
                rest = rest[(star + 2)..].TrimStart();
            }

            yield return rest;
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
