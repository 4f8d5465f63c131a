using System.Collections;
using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Intake.Texts;

/// <summary>
/// Every text Intake shows or sends to customers, in the languages it answers in, from <c>CustomerTexts.resx</c>
/// (English, the fallback) and <c>CustomerTexts.{language}.resx</c> beside it: files a translator edits without reading
/// code (their header says how). <see cref="For"/> gives the language's <see cref="IStringLocalizer"/>; a text with
/// arguments may hold ICU-style plural forms (<see cref="PluralForms"/>).
/// </summary>
public static class CustomerTexts
{
    /// <summary>The languages with a file of their own, English first; the same as triage detects.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "zh-Hans", "zh-Hant", "ru", "es", "pt", "tr", "vi", "ko", "ja"];

    internal static ResourceManager Resources { get; } = new("Intake.Texts.CustomerTexts", typeof(CustomerTexts).Assembly);

    private static readonly Dictionary<string, IStringLocalizer> Localizers =
        Languages.ToDictionary(l => l, l => (IStringLocalizer)new Localizer(l), StringComparer.Ordinal);

    /// <summary>The texts of <paramref name="language"/> (one of <see cref="Languages"/>); English for any other.</summary>
    public static IStringLocalizer For(string? language) =>
        language is not null && Localizers.TryGetValue(language, out var localizer) ? localizer : Localizers["en"];

    /// <summary>Whether <paramref name="language"/> has a file of its own (a language listed whose file is missing reads English).</summary>
    public static bool Speaks(string? language) => language is not null && Available.Contains(language);

    /// <summary>The languages of <see cref="Languages"/> whose file is there, in that order: what the pages offer.</summary>
    public static IReadOnlyList<string> Available { get; } =
    [
        .. Languages.Where(l => l == "en" || Resources.GetResourceSet(CultureInfo.GetCultureInfo(l), createIfNotExists: true, tryParents: false) is not null),
    ];

    /// <summary>
    /// The language of <see cref="Languages"/> a client's tag names: <c>zh-TW</c>, <c>zh-HK</c>, <c>zh-MO</c> and
    /// <c>zh-Hant</c> traditional Chinese unless the tag names <c>Hans</c>, any other <c>zh</c> simplified, <c>pt-BR</c>
    /// Portuguese; <c>und</c> for anything else.
    /// </summary>
    public static string Normalize(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 35)
        {
            return "und";
        }

        var parts = tag.Trim().Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return "und";
        }

        var primary = parts[0].ToLowerInvariant();
        if (primary == "zh")
        {
            // A script named wins over a region: zh-Hans-HK is simplified.
            var rest = parts.Skip(1).Select(p => p.ToUpperInvariant()).ToList();
            return !rest.Contains("HANS") && rest.Any(p => p is "HANT" or "TW" or "HK" or "MO") ? "zh-Hant" : "zh-Hans";
        }

        return Languages.Contains(primary) ? primary : "und";
    }

    /// <summary>
    /// Texts of one language, by name. A name a language lacks reads the English (the resource manager's fallback); one
    /// missing everywhere reads as its name, marked not found. Arguments are formatted for the language.
    /// </summary>
    private sealed class Localizer(string language) : IStringLocalizer
    {
        private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(language);

        public LocalizedString this[string name]
        {
            get
            {
                ArgumentNullException.ThrowIfNull(name);
                var value = Resources.GetString(name, _culture);
                return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
            }
        }

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var text = this[name];
                return text.ResourceNotFound
                    ? text
                    : new LocalizedString(name, string.Format(_culture, PluralForms.Expand(text.Value, language, arguments), arguments), resourceNotFound: false);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
        {
            var names = new SortedSet<string>(StringComparer.Ordinal);
            for (var culture = _culture; ; culture = culture.Parent)
            {
                if (Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is { } set)
                {
                    foreach (DictionaryEntry entry in set)
                    {
                        names.Add((string)entry.Key);
                    }
                }

                if (!includeParentCultures || culture.Equals(CultureInfo.InvariantCulture))
                {
                    break;
                }
            }

            return names.Select(name => this[name]);
        }
    }
}
