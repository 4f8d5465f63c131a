using Intake.Tickets;

namespace Intake.Tests.Tickets;

public class LanguagesTests
{
    [Theory]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh-Hant-HK", "zh-Hant")]
    [InlineData("zh_CN", "zh-Hans")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("pt-BR", "pt")]
    [InlineData("EN-us", "en")]
    [InlineData("fr-FR", "und")]
    [InlineData("", "und")]
    [InlineData(null, "und")]
    public void Maps_client_language_tags_onto_the_supported_languages(string? tag, string expected)
    {
        Assert.Equal(expected, Languages.Normalize(tag));
    }
}
