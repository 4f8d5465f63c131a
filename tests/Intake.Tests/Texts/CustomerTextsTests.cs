using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Intake.Texts;

namespace Intake.Tests.Texts;

/// <summary>
/// The customer texts as translators leave them: every language has a file, every name of the English file is in it with
/// the same arguments, every plural text gives the forms its language needs, and nothing is left in English by mistake.
/// </summary>
public sealed partial class CustomerTextsTests
{
    private static readonly ResourceManager Resources = new("Intake.Texts.CustomerTexts", typeof(CustomerTexts).Assembly);

    public static TheoryData<string> Translations => [.. CustomerTexts.Languages.Where(l => l != "en")];

    private static Dictionary<string, string> Entries(string language)
    {
        var set = Resources.GetResourceSet(language == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false);
        Assert.True(set is not null, $"{language} has no CustomerTexts.{language}.resx");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_language_has_every_text_with_the_same_arguments(string language)
    {
        var english = Entries("en");
        var translated = Entries(language);

        Assert.Empty(english.Keys.Except(translated.Keys));
        Assert.Empty(translated.Keys.Except(english.Keys));
        foreach (var (name, text) in english)
        {
            Assert.True(
                Arguments(text).SetEquals(Arguments(translated[name])),
                $"{language} {name}: arguments {string.Join(",", Arguments(translated[name]))}, English has {string.Join(",", Arguments(text))}");
            Assert.False(string.IsNullOrWhiteSpace(translated[name]) && !string.IsNullOrWhiteSpace(text), $"{language} {name} is empty");
        }
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_plural_text_gives_the_forms_its_language_needs(string language)
    {
        foreach (var (name, text) in Entries(language))
        {
            foreach (var (_, forms) in PluralForms.Find(text))
            {
                Assert.True(forms.ContainsKey("other"), $"{language} {name}: no 'other' form");
                Assert.Empty(PluralForms.CategoriesOf(language).Except(forms.Keys));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void A_translation_says_everything_in_its_language_but_names_and_codes(string language)
    {
        var english = Entries("en");
        var same = Entries(language).Where(e => e.Value == english[e.Key] && !SameEverywhere(e.Value)).Select(e => e.Key).ToList();

        Assert.Empty(same);
    }

    [Fact]
    public void Every_text_is_formatted_in_every_language_without_an_error()
    {
        foreach (var language in CustomerTexts.Languages)
        {
            var texts = CustomerTexts.For(language);
            foreach (var (name, text) in Entries("en"))
            {
                var arguments = Arguments(text).Order().Select(i => (object)(i == 0 ? 2 : "T-ABC234")).ToArray();
                var formatted = texts[name, arguments];
                Assert.False(formatted.ResourceNotFound, $"{language} {name}");
                Assert.DoesNotContain("{", formatted.Value, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("en", 1, "1 minute")]
    [InlineData("en", 5, "5 minutes")]
    [InlineData("zh-Hans", 5, "5 分钟")]
    public void Plural_texts_take_the_form_of_the_number(string language, int minutes, string expected)
    {
        Assert.Equal(expected, CustomerTexts.For(language)["Acknowledgement.Minutes", minutes].Value);
    }

    [Theory]
    [InlineData("ru", 1, "one")]
    [InlineData("ru", 21, "one")]
    [InlineData("ru", 11, "many")]
    [InlineData("ru", 3, "few")]
    [InlineData("ru", 14, "many")]
    [InlineData("ru", 24, "few")]
    [InlineData("ru", 5, "many")]
    [InlineData("pt", 0, "one")]
    [InlineData("pt", 1, "one")]
    [InlineData("es", 0, "other")]
    [InlineData("tr", 1, "one")]
    [InlineData("ja", 1, "other")]
    [InlineData("en", 1.5, "other")]
    public void Plural_categories_follow_the_cldr_rules(string language, double number, string category)
    {
        Assert.Equal(category, PluralForms.CategoryOf(language, (decimal)number));
    }

    [Fact]
    public void A_plural_construct_keeps_the_rest_of_the_text_and_falls_back_to_other()
    {
        const string text = "Wait {0, plural, one {# minute} other {# minutes}} for {1}.";

        Assert.Equal("Wait {0} minute for {1}.", PluralForms.Expand(text, "en", [1, "T-ABC234"]));
        Assert.Equal("Wait {0} minutes for {1}.", PluralForms.Expand(text, "ru", [3, "T-ABC234"]));
        Assert.Equal("Wait {0} minutes for {1}.", PluralForms.Expand(text, "en", [1.5m, "T-ABC234"]));
    }

    /// <summary>The arguments a text uses: <c>{n}</c> and the argument of each plural construct.</summary>
    private static HashSet<int> Arguments(string text)
    {
        var plural = PluralForms.Find(text);
        var plain = text;
        foreach (var (argument, forms) in plural)
        {
            foreach (var form in forms.Values)
            {
                plain = plain.Replace(form, "", StringComparison.Ordinal);
            }
        }

        return [.. Placeholder().Matches(plain).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)), .. plural.Select(p => p.Argument),
            .. plural.SelectMany(p => p.Forms.Values).SelectMany(f => Placeholder().Matches(f)).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    /// <summary>Texts that read the same in every language: a brand or a code ("API"), a separator, a format.</summary>
    private static bool SameEverywhere(string text) => text.Trim() is "API" or "," or ", " or "" || Placeholder().Replace(text, "").Trim().Length == 0;

    [GeneratedRegex(@"\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
