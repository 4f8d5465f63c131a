using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Net.Http.Headers;

namespace Intake.Tests.Channels.WebForm;

public sealed class PageTextsTests
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
    public void A_language_tag_picks_the_texts_of_the_pages(string? tag, string? expected)
    {
        Assert.Equal(expected, PageTexts.ForTag(tag)?.Code);
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

        Assert.Equal(expected, PageTexts.Negotiate(parsed).Code);
    }

    [Theory]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("en", "en")]
    [InlineData("ja", "en")]
    [InlineData("und", "en")]
    public void A_ticket_is_shown_in_its_language_or_in_english(string language, string expected)
    {
        Assert.Equal(expected, PageTexts.ForTicket(language).Code);
    }

    [Fact]
    public void Every_status_topic_and_delivery_state_has_a_name_in_every_language()
    {
        foreach (var texts in PageTexts.All)
        {
            Assert.Equal(Enum.GetValues<TicketStatus>().Length, texts.Statuses.Count);
            Assert.Equal(Enum.GetValues<TicketCategory>().Length, texts.Categories.Count);
            Assert.Equal(Enum.GetValues<OutboundStatus>().Length, texts.Deliveries.Count);
        }
    }

    [Fact]
    public void Every_field_error_a_submission_can_get_is_translated_into_both_chineses()
    {
        WebFormSubmission[] bad =
        [
            Submission(new { }),
            Submission(new { message = new string('x', WebFormSubmission.MaxMessageLength + 1) }),
            Submission(new { message = "hi", name = new string('n', 201), subject = new string('s', 201), email = "nope", language = new string('l', 36) }),
            Submission(new { message = "hi", reference = "../etc" }),
            Submission(new { message = "hi", reference = "T-ABC234" }),
        ];
        var english = bad.SelectMany(s => s.Validate().Values.SelectMany(m => m))
            .Append(WebFormIntake.EmailNeededError)
            .Distinct()
            .ToList();

        Assert.Equal(7, english.Count);
        foreach (var message in english)
        {
            Assert.NotEqual(message, PageTexts.Simplified.Error(message));
            Assert.NotEqual(message, PageTexts.Traditional.Error(message));
        }
    }

    private static WebFormSubmission Submission(object fields) => WebFormSubmission.FromJson(JsonSerializer.SerializeToUtf8Bytes(fields))!;
}
