using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a signed delivery of a shape the provider never sends — an id of 20,000 characters, a message without its
/// chat — throws in a handler or in the store: a 500, redelivered by the provider with the rest of its batch until it
/// gives up, so the good messages beside it are lost too. Control: ids are checked for their shape at the edge (the
/// event is skipped as malformed), the store keys any value it is given, and a message without a chat is ignored.
/// Found by <see cref="DeliveryMutationFuzzTests"/>.
/// </summary>
public sealed class OddDeliveryShapeTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_messenger_event_with_a_huge_sender_id_is_skipped_and_the_rest_of_the_batch_is_stored()
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken));
        using var client = host.CreateClient();
        var body = MetaFixtures.Messenger(
            MetaFixtures.TextEvent("m_odd_1", "my deposit is missing", sender: string.Join(' ', Enumerable.Repeat(MetaFixtures.Psid, 1_200))),
            MetaFixtures.TextEvent("m_odd_2", "my deposit is still missing"));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/meta", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", MetaFixtures.Sign(body));

        using var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var store = host.Services.GetRequiredService<TicketStore>();
        Assert.Null(await store.FindByProviderMessageAsync("messenger", "m_odd_1", Cancellation));
        Assert.NotNull(await store.FindByProviderMessageAsync("messenger", "m_odd_2", Cancellation));
    }

    [Fact]
    public async Task A_telegram_callback_whose_message_has_no_chat_is_answered_200()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(TelegramEndToEndTests.Secret));
        using var client = host.CreateClient();
        var update = TelegramFixtures.Update(7_800_001, "callback_query", new JsonObject
        {
            ["id"] = "4382bfdwdsb323b2d9",
            ["from"] = TelegramFixtures.User(),
            ["message"] = new JsonObject { ["message_id"] = 5 },
            ["chat_instance"] = "-8123456789",
            ["data"] = "not-a-survey",
        });

        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, update));
    }

    [Fact]
    public async Task A_telegram_message_without_a_chat_is_ignored_with_200()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(TelegramEndToEndTests.Secret));
        using var client = host.CreateClient();
        var message = TelegramFixtures.Message(11, "my withdrawal is stuck");
        message.Remove("chat");

        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Update(7_800_002, "message", message)));
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData(384)]
    [InlineData(5_000)]
    public async Task The_store_finds_a_ticket_by_a_provider_id_of_any_length(int length)
    {
        var store = new TicketStore(new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString), TimeProvider.System, TestStorage.NewPrefix());
        await store.CreateTablesAsync(Cancellation);
        var providerId = "<" + new string('é', length) + "@odd.example>";
        var id = TicketIds.NewId(TimeProvider.System);
        var ticket = new Ticket
        {
            Id = id,
            Reference = TicketIds.ReferenceOf(id),
            Channel = "email",
            Contact = new Contact("email", "odd@example.com"),
            Language = "en",
            Category = Intake.Triage.TicketCategory.General,
            Urgency = Intake.Triage.Urgency.Normal,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        var created = await store.CreateAsync(new NewTicket(ticket, "hello", providerId), Cancellation);

        Assert.True(created.Created);
        Assert.Equal(id, (await store.FindByProviderMessageAsync("email", providerId, Cancellation))?.Ticket.Id);
        Assert.False((await store.CreateAsync(new NewTicket(ticket with { Id = TicketIds.NewId(TimeProvider.System) }, "hello", providerId), Cancellation)).Created);
    }
}
