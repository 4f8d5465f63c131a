using System.Text.Json.Nodes;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Security;

/// <summary>
/// What a channel keeps beside the text (a referral's <c>ref</c>, which anyone writes into an m.me link; a button's
/// payload) is the sender's input too: a seed phrase or private key put there is redacted before it is stored, and flags
/// the ticket as one in the text would.
/// </summary>
public sealed class MetadataRedactionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";

    private readonly FakeGraph graph = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await graph.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await graph.DisposeAsync();

    [Fact]
    public async Task A_seed_phrase_in_a_referral_ref_is_redacted_in_the_stored_metadata_and_flags_the_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, graph.Settings(AppSecret, VerifyToken));
        using var client = host.CreateClient();
        var message = new JsonObject
        {
            ["mid"] = "m_ref_secret",
            ["text"] = "hello, I came from your link",
            ["referral"] = new JsonObject { ["ref"] = "my seed " + Mnemonic, ["source"] = "SHORTLINK", ["type"] = "OPEN_THREAD" },
        };

        await MetaEndToEndTests.PostAsync(client, Messenger(Event(message)));

        var store = host.Services.GetRequiredService<TicketStore>();
        var ticket = (await store.FindByProviderMessageAsync("messenger", "m_ref_secret", Cancellation))!.Ticket;
        var stored = Assert.Single(await store.GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.DoesNotContain("legal winner thank", stored.Details!.Metadata["referralRef"], StringComparison.Ordinal);
        Assert.Contains("[REDACTED:mnemonic]", stored.Details.Metadata["referralRef"], StringComparison.Ordinal);
        Assert.Equal("SHORTLINK", stored.Details.Metadata["referralSource"]);
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
    }
}
