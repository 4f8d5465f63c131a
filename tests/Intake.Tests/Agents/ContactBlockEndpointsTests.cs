using System.Net;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Agents;

/// <summary><c>/api/contacts/blocked</c> through the real host over Azurite.</summary>
public sealed class ContactBlockEndpointsTests(AzuriteFixture azurite)
{
    private const string Blocked = "/api/contacts/blocked";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_route_answers_401_without_an_agent_key_and_changes_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();

        var list = await SendAsync(client, HttpMethod.Get, Blocked, key: null);
        var block = await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "telegram", id = "42" }, key: null);
        var wrongKey = await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "telegram", id = "42" }, key: "not-a-key");
        var unblock = await SendAsync(client, HttpMethod.Delete, $"{Blocked}/telegram/42", key: null);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized],
            [list.Status, block.Status, wrongKey.Status, unblock.Status]);
        Assert.Equal("application/problem+json", block.ContentType);
        Assert.False(await host.Services.GetRequiredService<ContactBlocks>().IsBlockedAsync("telegram", "42", Cancellation));
    }

    [Theory]
    [InlineData("""{"channel":"fax","id":"42"}""", "channel")]
    [InlineData("""{"id":"42"}""", "channel")]
    [InlineData("""{"channel":"telegram","id":""}""", "id")]
    [InlineData("""{"channel":"telegram","id":"   "}""", "id")]
    [InlineData("""{"channel":"telegram"}""", "id")]
    [InlineData("""{"channel":"telegram","id":42}""", "id")]
    [InlineData("""{"channel":"email","id":"OVERSIZE"}""", "id")]
    [InlineData("""{"channel":"telegram","id":"42","reason":"LONGREASON"}""", "reason")]
    [InlineData("""{"channel":"telegram","id":"42","agent":"Sam"}""", "agent")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"channel":""", "body")]
    public async Task A_bad_block_is_a_400_naming_the_field_and_blocks_nobody(string body, string field)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        body = body.Replace("OVERSIZE", new string('a', 310) + "@example.com", StringComparison.Ordinal).Replace("LONGREASON", new string('r', 501), StringComparison.Ordinal);

        var response = await SendAsync(client, HttpMethod.Post, Blocked, body, key: ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.Json.GetRawText());
        Assert.Empty(await host.Services.GetRequiredService<ContactBlocks>().ListAsync(Cancellation));
    }

    [Fact]
    public async Task A_block_is_listed_with_the_agent_of_the_key_and_a_repeat_keeps_it()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();

        var created = await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "email", id = "Spammer@Example.com", reason = "crypto giveaway spam" }, key: KeyOf("Sam"));
        var repeated = await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "email", id = "spammer@example.com", reason = "again" }, key: ApiKey);
        var list = await SendAsync(client, HttpMethod.Get, Blocked);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, repeated.Status);
        var listed = Assert.Single(list.Json.GetProperty("blocks").EnumerateArray());
        Assert.Equal(
            ("email", "spammer@example.com", "Sam", "crypto giveaway spam", 0),
            (listed.GetProperty("channel").GetString(), listed.GetProperty("id").GetString(), listed.GetProperty("agent").GetString(),
                listed.GetProperty("reason").GetString(), listed.GetProperty("blockedMessages").GetInt32()));
        Assert.Equal("Sam", repeated.String("agent"));
        Assert.True(await host.Services.GetRequiredService<ContactBlocks>().IsBlockedAsync("email", "spammer@example.com", Cancellation));
    }

    [Fact]
    public async Task A_block_takes_the_name_the_contacts_ticket_stores()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        await host.Services.GetRequiredService<Intake.Messaging.TicketIntake>().AcceptAsync(
            new InboundMessage("telegram", new Contact("telegram", "555", "Ada Lovelace"), "hello", ProviderMessageId: "u-555"), Cancellation);

        var created = await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "telegram", id = "555" });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Ada Lovelace", created.String("name"));
        Assert.Equal("Mei", created.String("agent"));
    }

    [Fact]
    public async Task Unblocking_answers_204_and_then_404()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings());
        using var client = host.CreateClient();
        await SendAsync(client, HttpMethod.Post, Blocked, new { channel = "x", id = "1234567890" });

        var first = await SendAsync(client, HttpMethod.Delete, $"{Blocked}/x/1234567890");
        var second = await SendAsync(client, HttpMethod.Delete, $"{Blocked}/x/1234567890");
        var unknownChannel = await SendAsync(client, HttpMethod.Delete, $"{Blocked}/fax/1234567890");

        Assert.Equal(HttpStatusCode.NoContent, first.Status);
        Assert.Equal(HttpStatusCode.NotFound, second.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownChannel.Status);
        Assert.Empty((await SendAsync(client, HttpMethod.Get, Blocked)).Json.GetProperty("blocks").EnumerateArray());
    }
}
