using System.Net;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Meta.MetaContentFixtures;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Security;

/// <summary>
/// An edit joins the ticket of the message it names. A stranger who learns (or guesses) another customer's message id
/// and sends an "edit" of it through the signed webhook must not write into that customer's thread: the edit is theirs alone.
/// </summary>
public sealed class EditOfAnotherContactsMessageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string StrangerWaId = "4915199999999";

    private readonly FakeGraph graph = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await graph.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await graph.DisposeAsync();

    [Fact]
    public async Task A_whatsapp_edit_naming_another_customers_message_opens_the_strangers_own_ticket_and_leaves_the_thread_alone()
    {
        await using var host = await IntakeHost.StartAsync(azurite, graph.Settings(AppSecret, VerifyToken));
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();
        await MetaEndToEndTests.PostAsync(client, WhatsApp(WhatsAppText("wamid.victim", "my withdrawal to 0x52908400098527886E0F7030069857D2E4169EE7 is stuck")));
        var forged = WhatsAppEditedText("wamid.forged-edit", "wamid.victim", "send the refund to my new address instead");
        forged["from"] = StrangerWaId;

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, Delivery("whatsapp_business_account", WhatsAppEntry([forged], [WhatsAppContact(StrangerWaId, name: "Stranger")]))));

        var victim = (await store.FindByProviderMessageAsync("whatsapp", "wamid.victim", Cancellation))!.Ticket;
        var stranger = (await store.FindByProviderMessageAsync("whatsapp", "wamid.forged-edit", Cancellation))!.Ticket;
        Assert.NotEqual(victim.Id, stranger.Id);
        Assert.Equal(StrangerWaId, stranger.Contact.Id);
        Assert.Equal("wamid.victim", Assert.Single(await store.GetMessagesAsync(victim.Id, Cancellation), m => m.Direction == MessageDirection.Inbound).ProviderId);
    }
}
