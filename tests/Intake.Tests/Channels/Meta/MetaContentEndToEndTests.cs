using System.Net;
using System.Text.Json.Nodes;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Meta.MetaContentFixtures;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// Messages that are not plain text (locations, shared contacts, orders, Flow replies, shared posts, story mentions,
/// stickers, kinds we do not know) and edits, posted through the signed webhook of the real host over Azurite.
/// </summary>
public sealed class MetaContentEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeGraph graph = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await graph.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await graph.DisposeAsync();

    private Task<IntakeHost> StartHostAsync() => IntakeHost.StartAsync(azurite, graph.Settings(AppSecret, VerifyToken), logs: logs);

    private static async Task<StoredTicket> TicketOfAsync(IntakeHost host, string channel, string messageId) =>
        (await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync(channel, messageId, Cancellation))
        ?? throw new InvalidOperationException($"No ticket for {channel} message {messageId}.");

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];

    public static TheoryData<string, string, string, string> Shapes() => new()
    {
        { "messenger", Messenger(MessengerLocation("m_loc")), "m_loc", "[location: Alexanderplatz — 52.5219, 13.4132]" },
        { "messenger", Messenger(MessengerSticker("m_sticker")), "m_sticker", "[sticker]" },
        { "instagram", Instagram(InstagramShare("ig_share")), "ig_share", "[shared post: https://www.instagram.com/p/C1a2B3c4D5e/]" },
        { "instagram", Instagram(InstagramPost("ig_post")), "ig_post", "[shared post: New listing: XYZ/USDT — https://www.instagram.com/p/C9x8Y7z6W5v/]" },
        { "instagram", Instagram(InstagramStoryMention("ig_story")), "ig_story", "[story mention: https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17952754950787520&signature=AbxY]" },
        { "whatsapp", WhatsApp(WhatsAppChosenLocation("wamid.loc")), "wamid.loc", "[location: Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 — 37.4611978, -122.2164385]" },
        { "whatsapp", WhatsApp(WhatsAppContacts("wamid.contacts")), "wamid.contacts", "[contact: Chandler Bing, +1 555-555-5555]\n[contact: Monica, +1 666-666-6666]" },
        { "whatsapp", WhatsApp(WhatsAppOrder("wamid.order")), "wamid.order", "[order: catalog 354160437058781]\nitem HAMBURGER: quantity 3, price 30 ILS\nitem FRENCH_FRIES: quantity 2, price 35 ILS\nPlease deliver after 6pm" },
        { "whatsapp", WhatsApp(WhatsAppFlowReply("wamid.flow")), "wamid.flow", "[form reply]\ncomment_text: Comment Text\ndelivery_rating: 4\npurchase_rating: 2\nrecommend_radio: 0\ncs_rating: 0" },
        { "whatsapp", WhatsApp(WhatsAppUnsupported("wamid.unsupported")), "wamid.unsupported", "[unsupported message]" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_message_without_plain_text_makes_a_ticket_whose_stored_text_holds_its_content(string channel, string body, string providerId, string expected)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, body));

        var ticket = (await TicketOfAsync(host, channel, providerId)).Ticket;
        Assert.Equal(channel, ticket.Channel);
        Assert.Equal(expected, Assert.Single(await InboundAsync(host, ticket.Id)).Text);
    }

    [Fact]
    public async Task A_location_joins_the_senders_open_ticket()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await MetaEndToEndTests.PostAsync(client, WhatsApp(WhatsAppText("wamid.first", "the card machine at your office took my card")));
        await MetaEndToEndTests.PostAsync(client, WhatsApp(WhatsAppChosenLocation("wamid.where")));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.first")).Ticket;
        Assert.Equal(ticket.Id, (await TicketOfAsync(host, "whatsapp", "wamid.where")).Ticket.Id);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_messenger_edit_is_added_to_the_thread_as_an_edit_once_when_delivered_twice()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        await MetaEndToEndTests.PostAsync(client, Messenger(TextEvent("m_typo", "my withdrawl is stuck")));
        var edit = Messenger(MessengerEdit("m_typo", "my withdrawal of 500 USDT is stuck", 1));

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, edit));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, edit));

        var ticket = (await TicketOfAsync(host, "messenger", "m_typo")).Ticket;
        var messages = await InboundAsync(host, ticket.Id);
        Assert.Equal(["my withdrawl is stuck", "my withdrawal of 500 USDT is stuck"], messages.Select(m => m.Text));
        Assert.Null(messages[0].Details?.EditOf);
        Assert.Equal("m_typo", messages[1].Details!.EditOf);
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_whatsapp_edit_is_added_to_the_thread_as_an_edit_once_when_delivered_twice()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        await MetaEndToEndTests.PostAsync(client, WhatsApp(WhatsAppText("wamid.zzzzzz", "deposit missing")));
        var edit = WhatsApp(WhatsAppEditedText("wamid.yyyyyy", "wamid.zzzzzz", "Text was edited"));

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, edit));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, edit));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.zzzzzz")).Ticket;
        var messages = await InboundAsync(host, ticket.Id);
        Assert.Equal(["deposit missing", "Text was edited"], messages.Select(m => m.Text));
        Assert.Equal("wamid.zzzzzz", messages[1].Details!.EditOf);
        Assert.Equal("wamid.yyyyyy", messages[1].ProviderId);
    }

    [Fact]
    public async Task Ignored_events_are_logged_at_information_with_their_reason_and_no_content()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var reaction = WhatsAppMessage("wamid.react", "reaction", new JsonObject { ["message_id"] = "wamid.zzzzzz", ["emoji"] = "secret-emoji-🙃" });

        await MetaEndToEndTests.PostAsync(client, Messenger(EchoEvent("m_echo", "our own words"), ReadEvent()));
        await MetaEndToEndTests.PostAsync(client, WhatsApp(reaction));

        Assert.Equal(0, await host.CountTicketsAsync());
        var ignored = logs.Lines.Where(line => line.Contains(" ignored: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(ignored, line => line.StartsWith("Information", StringComparison.Ordinal) && line.Contains("ignored: echo", StringComparison.Ordinal));
        Assert.Contains(ignored, line => line.StartsWith("Information", StringComparison.Ordinal) && line.Contains("ignored: read", StringComparison.Ordinal));
        Assert.Contains(ignored, line => line.StartsWith("Information", StringComparison.Ordinal) && line.Contains("ignored: reaction", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("our own words", StringComparison.Ordinal) || line.Contains("secret-emoji", StringComparison.Ordinal));
    }
}
