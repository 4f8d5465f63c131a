using System.Globalization;
using System.Resources;
using Intake.Texts;

namespace Intake.Desk;

/// <summary>
/// The desk's words in the languages it speaks (<see cref="Languages"/>): <c>DeskTexts.resx</c> (English, the fallback)
/// and <c>DeskTexts.zh-Hans.resx</c> beside it, and the dashboard's in <c>Dashboard/DashboardTexts*.resx</c>
/// (<see cref="ForDashboard"/>), files a translator edits without reading code. Agents pick their language with the
/// switcher (a cookie) or their browser's <c>Accept-Language</c>.
/// </summary>
public sealed class DeskTexts
{
    public static IReadOnlyList<string> Languages { get; } = ["en", "zh-Hans"];

    private static readonly Dictionary<string, DeskTexts> ByLanguage = Of("Intake.Desk.DeskTexts");
    private static readonly Dictionary<string, DeskTexts> DashboardByLanguage = Of("Intake.Desk.Dashboard.DashboardTexts");

    private readonly ResourceManager _resources;
    private readonly CultureInfo _culture;

    private DeskTexts(string language, ResourceManager resources)
    {
        Language = language;
        _resources = resources;
        _culture = CultureInfo.GetCultureInfo(language);
    }

    private static Dictionary<string, DeskTexts> Of(string baseName)
    {
        var resources = new ResourceManager(baseName, typeof(DeskTexts).Assembly);
        return Languages.ToDictionary(l => l, l => new DeskTexts(l, resources), StringComparer.Ordinal);
    }

    public string Language { get; }

    /// <summary>The texts of <paramref name="language"/> when the desk speaks it (tags normalized as the customer pages do); English otherwise.</summary>
    public static DeskTexts For(string? language) =>
        ByLanguage.TryGetValue(CustomerTexts.Normalize(language), out var texts) ? texts : ByLanguage["en"];

    /// <summary>The dashboard's texts of <paramref name="language"/>, as <see cref="For"/> chooses.</summary>
    public static DeskTexts ForDashboard(string? language) =>
        DashboardByLanguage.TryGetValue(CustomerTexts.Normalize(language), out var texts) ? texts : DashboardByLanguage["en"];

    /// <summary>Whether the desk speaks <paramref name="language"/> (after normalizing it).</summary>
    public static bool Speaks(string? language) => ByLanguage.ContainsKey(CustomerTexts.Normalize(language));

    /// <summary>The text called <paramref name="name"/>; English when this language lacks it; the name itself when no file has it.</summary>
    public string this[string name] => _resources.GetString(name, _culture) ?? name;

    /// <summary>The text with its arguments formatted for the language.</summary>
    public string Format(string name, params object[] arguments) => string.Format(_culture, this[name], arguments);

    /// <summary>Every name the English file has, for the test that every language has each with the same placeholders.</summary>
    internal IEnumerable<string> Names() =>
        _resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key);

    /// <summary>The text as this language's own file has it, or null: for that test.</summary>
    internal string? Own(string name) =>
        (Language == "en" ? _resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false) : _resources.GetResourceSet(_culture, createIfNotExists: true, tryParents: false))
            ?.GetString(name);
}
