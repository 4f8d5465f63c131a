using System.Globalization;
using System.Resources;

namespace Intake.Desk.Dashboard;

/// <summary>
/// The dashboard's texts, from <c>DashboardTexts.resx</c> (English, the fallback) and <c>DashboardTexts.zh-Hans.resx</c>
/// beside it, read as <c>Texts/CustomerTexts</c> reads its files. Channel, urgency and category names stay as their codes.
/// </summary>
internal sealed class DashboardTexts(string language)
{
    /// <summary>The languages with a file of their own, English first.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "zh-Hans"];

    internal static ResourceManager Resources { get; } = new("Intake.Desk.Dashboard.DashboardTexts", typeof(DashboardTexts).Assembly);

    private static readonly DashboardTexts English = new("en");
    private static readonly DashboardTexts Chinese = new("zh-Hans");

    private readonly CultureInfo _culture = CultureInfo.GetCultureInfo(language);

    /// <summary>The language the texts are in: <c>zh-Hans</c> or <c>en</c>.</summary>
    public string Language => language;

    /// <summary>Simplified Chinese for <c>zh-Hans</c>; English for any other language.</summary>
    public static DashboardTexts For(string? language) => string.Equals(language, "zh-Hans", StringComparison.OrdinalIgnoreCase) ? Chinese : English;

    /// <summary>The text named; the English one where the language lacks it, the name itself where both do.</summary>
    public string this[string name] => Resources.GetString(name, _culture) ?? name;

    /// <summary>The text named with its placeholders filled in, formatted for the language.</summary>
    public string Format(string name, params object[] arguments) => string.Format(_culture, this[name], arguments);
}
