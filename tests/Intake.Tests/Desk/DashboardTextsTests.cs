using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Intake.Desk.Dashboard;

namespace Intake.Tests.Desk;

public sealed partial class DashboardTextsTests
{
    private static Dictionary<string, string> Entries(string language)
    {
        var set = DashboardTexts.Resources.GetResourceSet(language == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false);
        Assert.True(set is not null, $"{language} has no DashboardTexts.{language}.resx");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Chinese_has_every_text_with_the_same_placeholders_and_translated()
    {
        var english = Entries("en");
        var chinese = Entries("zh-Hans");

        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), chinese.Keys.Order(StringComparer.Ordinal));
        Assert.All(english, entry =>
        {
            Assert.Equal(Placeholder().Matches(entry.Value).Select(m => m.Value).Order(), Placeholder().Matches(chinese[entry.Key]).Select(m => m.Value).Order());
            Assert.True(chinese[entry.Key] != entry.Value, $"{entry.Key} reads the same in Chinese");
        });
    }

    [Fact]
    public void Any_language_but_simplified_chinese_reads_english()
    {
        Assert.Equal("Support dashboard", DashboardTexts.For("en")["Title"]);
        Assert.Equal("Support dashboard", DashboardTexts.For("de")["Title"]);
        Assert.Equal("Support dashboard", DashboardTexts.For(null)["Title"]);
        Assert.Equal("客服数据看板", DashboardTexts.For("zh-Hans")["Title"]);
    }
}
