using System.Globalization;
using System.Text;

namespace Intake.Triage.Text;

/// <summary>
/// Maps every character to the form the phrase rules are written in: lower case, without diacritics, ASCII for
/// fullwidth forms, one space for any whitespace or dash, straight quotes, and simplified for traditional Chinese.
/// The mapping is one character to one character, so a position in the folded text is the same position in the
/// original.
/// </summary>
internal sealed class TextFolder
{
    private readonly char[] _map;

    public TextFolder(IEnumerable<KeyValuePair<char, char>> traditionalToSimplified)
    {
        _map = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            _map[i] = FoldOne((char)i);
        }

        foreach (var (traditional, simplified) in traditionalToSimplified)
        {
            _map[traditional] = simplified;
        }
    }

    public char Fold(char c) => _map[c];

    public void Fold(ReadOnlySpan<char> source, Span<char> destination)
    {
        var map = _map;
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = map[source[i]];
        }
    }

    public string Fold(string text)
    {
        return string.Create(text.Length, this, (span, folder) => folder.Fold(text, span));
    }

    private static char FoldOne(char c)
    {
        if (char.IsSurrogate(c))
        {
            return c;
        }

        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0);
        }

        switch (c)
        {
            case '\u0131' or '\u0130':
                return 'i';
            case '\u0111' or '\u0110':
                return 'd';
            case '\u00F8' or '\u00D8':
                return 'o';
            case '\u0142' or '\u0141':
                return 'l';
            case '-' or '_' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212':
                return ' ';
            case '\u2018' or '\u2019' or '\u201A' or '\u02BC' or '`' or '\u00B4':
                return '\'';
            case '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB':
                return '"';
            case '\u3002' or '\uFF61':
                return '.';
            case '\u3001' or '\uFF64':
                return ',';
            case '\u3000':
                return ' ';
            default:
                break;
        }

        if (char.IsWhiteSpace(c) || char.IsControl(c))
        {
            return ' ';
        }

        var lower = char.ToLowerInvariant(c);
        if (lower < '\u00C0' || lower > '\u1EFF' || lower is > '\u052F' and < '\u1E00')
        {
            return lower;
        }

        // Strip diacritics from Latin and Cyrillic letters: take the base letter of the canonical decomposition.
        var decomposed = lower.ToString().Normalize(NormalizationForm.FormD);
        if (decomposed.Length > 1 && CharUnicodeInfo.GetUnicodeCategory(decomposed[1]) == UnicodeCategory.NonSpacingMark)
        {
            return decomposed[0];
        }

        return lower;
    }
}
