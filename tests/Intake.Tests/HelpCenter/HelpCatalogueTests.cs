using Intake.HelpCenter;
using Intake.Texts;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.HelpCenter;

/// <summary>Which articles a ticket is offered, and what a catalogue must say to be accepted.</summary>
public sealed class HelpCatalogueTests
{
    private static readonly HelpCatalogue Example = LoadExample();

    private static HelpCatalogue LoadExample()
    {
        using var stream = typeof(HelpCatalogue).Assembly.GetManifestResourceStream(HelpCenterHosting.ExampleResource)!;
        var (catalogue, errors) = HelpCatalogue.Parse(new StreamReader(stream).ReadToEnd(), maxPerTicket: 3);
        Assert.Empty(errors);
        return catalogue!;
    }

    private static Ticket Ticket(TicketCategory category, string language = "en", params string[] flags) => new()
    {
        Id = "01KAR7M3ZQ5V8X2N4P6RW7K2QX",
        Reference = "T-W7K2QX",
        Channel = "email",
        Contact = new Contact("email", "c@example.com", null, "c@example.com"),
        Language = language,
        Category = category,
        Urgency = Urgency.Normal,
        Flags = flags,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void The_example_covers_the_common_questions_in_every_language()
    {
        Assert.Equal(
            ["deposit-not-credited", "deposit-wrong-network-or-memo", "withdrawal-times-and-fees", "reset-2fa", "identity-verification", "api-keys"],
            Example.Articles.Select(a => a.Id));
        Assert.All(Example.Articles, article => Assert.Equal(CustomerTexts.Languages.Order(), article.Languages.Keys.Order()));
    }

    [Theory]
    [InlineData(TicketCategory.Deposit, "ru", new[] { "deposit-not-credited", "deposit-wrong-network-or-memo" })]
    [InlineData(TicketCategory.FeesLimits, "en", new[] { "withdrawal-times-and-fees" })]
    [InlineData(TicketCategory.AccountAccess, "ja", new[] { "reset-2fa" })]
    [InlineData(TicketCategory.Trading, "en", new string[0])]
    public void A_ticket_is_offered_the_articles_of_its_category_in_its_language(TicketCategory category, string language, string[] ids)
    {
        var offered = Example.For(Ticket(category, language));

        Assert.Equal(ids, offered.Select(a => a.Id));
        Assert.All(offered, a => Assert.Contains($"/{(language == "pt" ? "pt-br" : language)}/", a.Url, StringComparison.Ordinal));
    }

    [Fact]
    public void Where_the_advice_is_fixed_no_article_is_offered()
    {
        Assert.Empty(Example.For(Ticket(TicketCategory.Security)));
        Assert.Empty(Example.For(Ticket(TicketCategory.Deposit, "en", TriageFlags.SecretExposed)));
        Assert.Empty(Example.For(Ticket(TicketCategory.AccountAccess, "en", TriageFlags.PhishingVictim)));
    }

    [Fact]
    public void At_most_the_configured_number_in_catalogue_order_and_english_where_the_language_has_none()
    {
        var (catalogue, errors) = HelpCatalogue.Parse(
            """
            { "articles": [
              { "id": "a", "categories": ["deposit"], "languages": { "en": { "title": "A", "url": "https://help.example/a" }, "ko": { "title": "가", "url": "https://help.example/ko/a" } } },
              { "id": "b", "categories": ["deposit"], "languages": { "en": { "title": "B", "url": "https://help.example/b" } } },
              { "id": "c", "flags": ["survey_follow_up"], "languages": { "en": { "title": "C", "url": "https://help.example/c" } } },
              { "id": "d", "categories": ["deposit"], "languages": { "en": { "title": "D", "url": "https://help.example/d" } } }
            ] }
            """,
            maxPerTicket: 2);

        Assert.Empty(errors);
        Assert.Equal([("a", "가"), ("b", "B")], catalogue!.For(Ticket(TicketCategory.Deposit, "ko")).Select(a => (a.Id, a.Title)));
        Assert.Equal(["c"], catalogue.For(Ticket(TicketCategory.General, "en", "survey_follow_up")).Select(a => a.Id));
    }

    [Theory]
    [InlineData("""{ "articles": [ { "id": "a", "categories": ["deposits"], "languages": { "en": { "title": "A", "url": "https://h.example/a" } } } ] }""", "no such category 'deposits'")]
    [InlineData("""{ "articles": [ { "id": "a", "categories": ["deposit"], "languages": { "ru": { "title": "А", "url": "https://h.example/a" } } } ] }""", "an English title and url are needed")]
    [InlineData("""{ "articles": [ { "id": "a", "categories": ["deposit"], "languages": { "en": { "title": "A", "url": "http://h.example/a" } } } ] }""", "absolute https address")]
    [InlineData("""{ "articles": [ { "id": "a", "categories": ["deposit"], "languages": { "en": { "title": "A", "url": "https://h.example/a" }, "fr": { "title": "A", "url": "https://h.example/a" } } } ] }""", "'fr' is not one of")]
    [InlineData("""{ "articles": [ { "id": "a", "languages": { "en": { "title": "A", "url": "https://h.example/a" } } } ] }""", "answers nothing")]
    [InlineData("""{ "articles": [ { "id": "a", "categories": ["deposit"], "languages": { "en": { "title": "A", "url": "https://h.example/a" } } }, { "id": "a", "categories": ["api"], "languages": { "en": { "title": "B", "url": "https://h.example/b" } } } ] }""", "an id of its own")]
    [InlineData("""{ "articles": 3 }""", "not a catalogue")]
    public void A_catalogue_with_an_error_is_refused_with_the_error_named(string json, string error)
    {
        var (catalogue, errors) = HelpCatalogue.Parse(json, maxPerTicket: 3);

        Assert.Null(catalogue);
        Assert.Contains(errors, e => e.Contains(error, StringComparison.Ordinal));
    }
}
