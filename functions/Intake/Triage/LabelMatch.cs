namespace Intake.Triage;

internal readonly record struct LabelMatch(LabelKind Kind, int Start, int End);

internal static class ValueReader
{
    /// <summary>
    /// Skips what may stand between a label and its value: spaces, ':', '=', '#', and the given words. Returns the
    /// position after them; <paramref name="explicitMark"/> tells whether a ':' or '=' was among them, and
    /// <paramref name="word"/> whether one of the words was.
    /// </summary>
    public static int SkipSeparators(ReadOnlySpan<char> folded, int position, string[] words, int maxGap, out bool explicitMark, out bool word)
    {
        explicitMark = false;
        word = false;
        var start = position;
        while (position < folded.Length && position - start <= maxGap)
        {
            var c = folded[position];
            if (c is ' ' or '#')
            {
                position++;
                continue;
            }

            if (c is ':' or '=')
            {
                explicitMark = true;
                position++;
                continue;
            }

            var skipped = false;
            foreach (var candidate in words)
            {
                var end = position + candidate.Length;
                if (folded[position..].StartsWith(candidate, StringComparison.Ordinal)
                    && (!Text.CharClass.IsWord(candidate[^1]) || end >= folded.Length || !Text.CharClass.IsWord(folded[end])))
                {
                    position = end;
                    skipped = true;
                    word = true;
                    break;
                }
            }

            if (!skipped)
            {
                break;
            }
        }

        return position;
    }

    /// <summary>
    /// Reads a labelled value from the original text: a quoted string, or everything up to whitespace or CJK text,
    /// without trailing sentence punctuation.
    /// </summary>
    public static bool TryRead(string text, int position, out int start, out int end)
    {
        start = position;
        end = position;
        if (position >= text.Length)
        {
            return false;
        }

        var close = Closing(text[position]);
        if (close != '\0')
        {
            var found = text.AsSpan(position + 1, Math.Min(128, text.Length - position - 1)).IndexOf(close);
            if (found > 0)
            {
                start = position + 1;
                end = start + found;
                return true;
            }

            start = ++position;
        }

        end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && !EndsValue(text[end]) && end - start < 256)
        {
            end++;
        }

        while (end - start > 1 && text[end - 1] is '.' or ',' or ';' or ':' or ')' or ']' or '}' or '>' or '"' or '\'' or '\u201D' or '\u2019')
        {
            end--;
        }

        return end > start;
    }

    private static bool EndsValue(char c) =>
        Text.CharClass.IsCjk(c) || c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF';

    private static char Closing(char open) => open switch
    {
        '"' => '"',
        '\'' => '\'',
        '`' => '`',
        '\u201C' => '\u201D',
        '\u2018' => '\u2019',
        '\u00AB' => '\u00BB',
        '\u300C' => '\u300D',
        _ => '\0',
    };
}
