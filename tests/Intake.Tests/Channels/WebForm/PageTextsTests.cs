using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Channels.WebForm;

public sealed class PageTextsTests
{
    [Fact]
    public void Every_language_with_customer_texts_is_a_language_the_pages_speak()
    {
        Assert.Equal(CustomerTexts.Languages, CustomerTexts.Available);
        foreach (var code in CustomerTexts.Available)
        {
            Assert.Equal(code, PageTexts.ForTag(code)?.Code);
            Assert.Equal(code, PageTexts.ForTicket(code).Code);
        }

        Assert.Equal(CustomerTexts.Available, PageTexts.All.Select(t => t.Code));
    }

    [Fact]
    public void A_language_the_pages_do_not_speak_has_no_texts()
    {
        Assert.Null(PageTexts.ForTag("fr"));
    }

    [Theory]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("en", "en")]
    [InlineData("fr", "en")]
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
    public void Every_field_error_a_submission_can_get_is_translated_into_every_language()
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
        foreach (var texts in PageTexts.All.Where(t => t.Code != "en"))
        {
            Assert.All(english, message => Assert.NotEqual(message, texts.Error(message)));
        }

        Assert.All(english, message => Assert.Equal(message, PageTexts.English.Error(message)));
    }

    private static WebFormSubmission Submission(object fields) => WebFormSubmission.FromJson(JsonSerializer.SerializeToUtf8Bytes(fields))!;
}
