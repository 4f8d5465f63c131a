using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: agent keys had no minimum length (a short key is guessed), and the audit trail recorded whatever name the caller
/// wrote in the body, so anyone holding any key could act as any colleague and the trail would blame them. Each key is
/// bound to one agent, and the audit names the agent whose key was used.
/// </summary>
public sealed class AgentIdentityTests(AzuriteFixture azurite)
{
    private const string AliceKey = "alice-key-0123456789abcdef0123456789";
    private const string BobKey = "bob-key-0123456789abcdef0123456789ab";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> TwoAgents() => new() { ["Intake:ApiKeys:alice"] = AliceKey, ["Intake:ApiKeys:bob"] = BobKey };

    private static async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(HttpClient client, string path, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", key);
        using var response = await client.SendAsync(request, Cancellation);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static async Task<WebFormAccepted> TicketAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message = "my deposit is missing", email = "customer@example.com" }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(Cancellation))!;
    }

    [Fact]
    public async Task The_audit_names_the_agent_whose_key_was_used()
    {
        await using var host = await IntakeHost.StartAsync(azurite, TwoAgents());
        using var client = host.CreateClient();
        var ticket = await TicketAsync(client);

        var (status, json) = await PostAsync(client, $"/api/tickets/{ticket.TicketId}/replies", AliceKey, """{"text":"We are looking into it."}""");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.All(json.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("action").GetString() != "sla"),
            e => Assert.Equal("alice", e.GetProperty("agent").GetString()));
    }

    [Fact]
    public async Task A_body_that_names_another_agent_is_refused_and_changes_nothing()
    {
        await using var host = await IntakeHost.StartAsync(azurite, TwoAgents());
        using var client = host.CreateClient();
        var ticket = await TicketAsync(client);

        var (status, json) = await PostAsync(client, $"/api/tickets/{ticket.TicketId}/resolve", AliceKey, """{"agent":"bob"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(json.GetProperty("errors").TryGetProperty("agent", out _));
        using var read = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/tickets/{ticket.TicketId}", UriKind.Relative));
        read.Headers.Add("x-api-key", BobKey);
        using var response = await client.SendAsync(read, Cancellation);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("new", document.RootElement.GetProperty("status").GetString());
        Assert.Empty(document.RootElement.GetProperty("events").EnumerateArray());
    }

    [Theory]
    [InlineData("Intake:ApiKeys:alice", "short-key", "32")]
    [InlineData("Intake:ApiKeys:0", AliceKey, "Intake__ApiKeys__")]
    public async Task A_key_that_is_short_or_bound_to_no_name_stops_the_start(string setting, string key, string explained)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { [setting] = key });
        });

        Assert.Contains(explained, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_agents_with_one_key_stop_the_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Intake:ApiKeys:alice"] = AliceKey, ["Intake:ApiKeys:mallory"] = AliceKey });
        });

        Assert.Contains("alice", error.Message, StringComparison.Ordinal);
        Assert.Contains("mallory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AliceKey, error.Message, StringComparison.Ordinal);
    }
}
