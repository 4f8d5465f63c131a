using System.Globalization;
using System.Text;

namespace Intake.Texts;

/// <summary>
/// The plural forms a text may hold, in the ICU MessageFormat style translators know:
/// <c>{0, plural, one {# minute} other {# minutes}}</c>, <c>#</c> standing for the number. The form is chosen by the
/// language's Unicode CLDR cardinal rules for the ten languages Intake speaks (integers; a number with a fraction takes
/// <c>other</c>, which every language has). Only this construct is read; the rest is a .NET format string.
/// </summary>
public static class PluralForms
{
    /// <summary>The categories a language distinguishes for whole numbers, <c>other</c> last.</summary>
    public static IReadOnlyList<string> CategoriesOf(string language) => language switch
    {
        "ru" => ["one", "few", "many", "other"],
        "en" or "es" or "pt" or "tr" => ["one", "other"],
        _ => ["other"],
    };

    /// <summary>The CLDR category of <paramref name="number"/> in <paramref name="language"/>.</summary>
    public static string CategoryOf(string language, decimal number)
    {
        if (number != decimal.Truncate(number))
        {
            return "other";
        }

        var n = decimal.ToInt64(decimal.Truncate(Math.Abs(number)));
        return language switch
        {
            "ru" => (n % 10, n % 100) switch
            {
                (1, not 11) => "one",
                ( >= 2 and <= 4, < 12 or > 14) => "few",
                _ => "many",
            },
            "en" or "es" or "tr" => n == 1 ? "one" : "other",
            "pt" => n is 0 or 1 ? "one" : "other",
            _ => "other",
        };
    }

    /// <summary>
    /// <paramref name="text"/> with each <c>{n, plural, …}</c> replaced by the form for argument n; a form the text does
    /// not give falls back to <c>other</c>. Braces inside a form are kept for the format that follows.
    /// </summary>
    public static string Expand(string text, string language, IReadOnlyList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(arguments);
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && TryReadPlural(text, i, out var index, out var forms, out var end) && index < arguments.Count)
            {
                var number = Convert.ToDecimal(arguments[index], CultureInfo.InvariantCulture);
                var form = forms.GetValueOrDefault(CategoryOf(language, number)) ?? forms.GetValueOrDefault("other") ?? "";
                result.Append(form.Replace("#", "{" + index.ToString(CultureInfo.InvariantCulture) + "}", StringComparison.Ordinal));
                i = end;
                continue;
            }

            result.Append(text[i]);
            i++;
        }

        return result.ToString();
    }

    /// <summary>The plural constructs in <paramref name="text"/>: the argument each counts, and its forms by category.</summary>
    public static IReadOnlyList<(int Argument, IReadOnlyDictionary<string, string> Forms)> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<(int, IReadOnlyDictionary<string, string>)>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{' && TryReadPlural(text, i, out var index, out var forms, out var end))
            {
                found.Add((index, forms));
                i = end - 1;
            }
        }

        return found;
    }

    private static bool TryReadPlural(string text, int start, out int index, out Dictionary<string, string> forms, out int end)
    {
        index = 0;
        forms = new Dictionary<string, string>(StringComparer.Ordinal);
        end = start;
        var comma = text.IndexOf(',', start);
        if (comma < 0 || !int.TryParse(text.AsSpan(start + 1, comma - start - 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        var rest = text.AsSpan(comma + 1).TrimStart();
        if (!rest.StartsWith("plural", StringComparison.Ordinal))
        {
            return false;
        }

        var i = text.IndexOf(',', comma + 1);
        if (i < 0)
        {
            return false;
        }

        i++;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] == '}')
            {
                end = i + 1;
                return forms.Count > 0;
            }

            var open = text.IndexOf('{', i);
            if (open < 0)
            {
                return false;
            }

            var category = text[i..open].Trim();
            var depth = 0;
            var close = open;
            for (; close < text.Length; close++)
            {
                depth += text[close] switch { '{' => 1, '}' => -1, _ => 0 };
                if (depth == 0)
                {
                    break;
                }
            }

            if (close >= text.Length || category.Length == 0)
            {
                return false;
            }

            forms[category] = text[(open + 1)..close];
            i = close + 1;
        }

        return false;
    }
}
