using Intake.Web.Pages;
using Microsoft.Net.Http.Headers;

namespace Intake.Tests.Web.Pages;

public sealed class PageLanguagesTests
{
    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN-gb", "en")]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-SG", "zh-Hans")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh_HK", "zh-Hant")]
    [InlineData("zh-MO", "zh-Hant")]
    [InlineData("zh-Hant-TW", "zh-Hant")]
    [InlineData("zh-Hans-HK", "zh-Hans")]
    [InlineData("fr", null)]
    [InlineData("", null)]
    [InlineData("-", null)]
    [InlineData(null, null)]
    public void A_language_tag_picks_the_language_of_the_pages(string? tag, string? expected)
    {
        Assert.Equal(expected, PageLanguages.ForTag(tag));
    }

    [Theory]
    [InlineData("", "en")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans")]
    [InlineData("zh-TW,zh;q=0.9", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("fr-FR,fr;q=0.9", "en")]
    [InlineData("fr-FR, zh-TW;q=0.5", "zh-Hant")]
    [InlineData("en;q=0.3, zh-Hant;q=0.8", "zh-Hant")]
    [InlineData("zh-CN;q=0, en", "en")]
    [InlineData("*", "en")]
    public void Accept_language_picks_the_first_preference_the_pages_speak(string header, string expected)
    {
        var parsed = StringWithQualityHeaderValue.TryParseList(header.Length == 0 ? [] : [header], out var list) ? list : [];

        Assert.Equal(expected, PageLanguages.Negotiate(parsed));
    }
}
