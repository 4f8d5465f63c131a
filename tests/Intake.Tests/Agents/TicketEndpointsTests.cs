using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;

namespace Intake.Tests.Agents;

/// <summary>The agent read API through the real host.</summary>
public sealed class TicketEndpointsTests(AzuriteFixture azurite)
{
    private const string ApiKey = "agent-key-0123456789abcdef01234567";
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Intake:ApiKeys:Mei"] = ApiKey, ["WebForm:SubmissionsPerWindow"] = "100", ["WebForm:SubmissionsPerAddress"] = "100",
    };

    private static async Task<WebFormAccepted> SubmitAsync(HttpClient client, string message, string email = "agent-test@example.com")
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message, email }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("x-api-key", ApiKey);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key")]
    [InlineData(ApiKey + "x")]
    public async Task Without_the_right_key_agents_get_401(string? key)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/tickets?status=new", UriKind.Relative));
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_ticket_reads_as_the_design_describes_with_its_thread_and_outbound_messages()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "My withdrawal of 500 USDT (TRC20) is pending. password: Hunter2-Secret!");
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");

        using var json = await IntakeHost.WaitForAsync(async () =>
        {
            var document = await GetJsonAsync(client, $"/api/tickets/{accepted.TicketId}");
            return document.RootElement.GetProperty("outbound").EnumerateArray().Any(o => o.GetProperty("status").GetString() == "sent") ? document : null;
        }, "the outbound record to read sent");

        var ticket = json.RootElement;
        Assert.Equal(accepted.TicketId, ticket.GetProperty("id").GetString());
        Assert.Equal(accepted.Reference, ticket.GetProperty("reference").GetString());
        Assert.Equal("new", ticket.GetProperty("status").GetString());
        Assert.Equal("web", ticket.GetProperty("channel").GetString());
        Assert.Equal("urgent", ticket.GetProperty("urgency").GetString());
        Assert.Equal("withdrawal", ticket.GetProperty("category").GetString());
        Assert.Equal("en", ticket.GetProperty("language").GetString());
        Assert.Equal("agent-test@example.com", ticket.GetProperty("contact").GetProperty("email").GetString());
        Assert.False(ticket.GetProperty("contact").GetProperty("verified").GetBoolean());
        Assert.Equal(["secret_exposed", "unverified_contact"], ticket.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, ticket.GetProperty("redactions").GetProperty("password").GetInt32());
        Assert.Equal(["TRC20"], ticket.GetProperty("entities").GetProperty("networks").EnumerateArray().Select(f => f.GetString()));
        Assert.True(ticket.TryGetProperty("firstResponseDueAt", out _));
        var messages = ticket.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["inbound", "outbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.False(messages[0].GetProperty("senderVerified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("senderVerified").ValueKind);
        Assert.DoesNotContain("Hunter2-Secret", json.RootElement.GetRawText(), StringComparison.Ordinal);
        var outbound = Assert.Single(ticket.GetProperty("outbound").EnumerateArray());
        Assert.Equal("acknowledgement", outbound.GetProperty("kind").GetString());
        Assert.Equal("email", outbound.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task An_unknown_ticket_is_404()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings);
        using var client = host.CreateClient();

        (await GetJsonAsync(client, "/api/tickets/01NOSUCHTICKET000000000000", HttpStatusCode.NotFound)).Dispose();
    }

    [Fact]
    public async Task Lists_by_status_and_urgency_most_urgent_first_page_by_page()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings);
        using var client = host.CreateClient();
        var low = await SubmitAsync(client, "Great app! Would love to see a dark mode.", "l@example.com");
        var urgent = await SubmitAsync(client, "Someone logged into my account and withdrew all my USDT!", "u@example.com");
        var high1 = await SubmitAsync(client, "My withdrawal has been pending for 6 hours", "h1@example.com");
        var high2 = await SubmitAsync(client, "Deposit not credited after 3 hours", "h2@example.com");

        var seen = new List<string>();
        string? token = null;
        do
        {
            using var page = await GetJsonAsync(client, "/api/tickets?status=new&pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            seen.AddRange(page.RootElement.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            token = page.RootElement.GetProperty("continuationToken").GetString();
        }
        while (token is not null);

        Assert.Equal(4, seen.Count);
        Assert.Equal(urgent.TicketId, seen[0]);
        Assert.Equal(low.TicketId, seen[^1]);
        Assert.Equal([high1.TicketId, high2.TicketId], seen.Skip(1).Take(2).Order());

        using var highOnly = await GetJsonAsync(client, "/api/tickets?status=new&urgency=high&category=deposit");
        Assert.Equal([high2.TicketId], highOnly.RootElement.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        using var resolved = await GetJsonAsync(client, "/api/tickets?status=resolved");
        Assert.Empty(resolved.RootElement.GetProperty("tickets").EnumerateArray());
    }

    [Theory]
    [InlineData("status=pending")]
    [InlineData("urgency=critical")]
    [InlineData("category=misc")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=1000")]
    public async Task A_bad_filter_gets_a_validation_problem(string query)
    {
        await using var host = await IntakeHost.StartAsync(azurite, Settings);
        using var client = host.CreateClient();

        (await GetJsonAsync(client, "/api/tickets?" + query, HttpStatusCode.BadRequest)).Dispose();
    }

    [Fact]
    public async Task A_message_shows_its_attachments_and_the_senders_authentication_to_agents()
    {
        await using var host = await IntakeHost.StartAsync(azurite, Channels.Email.InboundParsePosts.Settings(Settings));
        using var client = Channels.Email.InboundParsePosts.Client(host);
        using var post = Channels.Email.InboundParsePosts.Parsed(
            "My statement is attached.",
            attachments: [new("statement.pdf", "application/pdf", "%PDF-1.4 statement"u8.ToArray()), new("tool.exe", "application/octet-stream", [1, 2, 3])]);
        using var posted = await client.PostAsync(Channels.Email.InboundParsePosts.Endpoint, post, TestContext.Current.CancellationToken);
        using var outcome = JsonDocument.Parse(await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var json = await GetJsonAsync(client, $"/api/tickets/{outcome.RootElement.GetProperty("ticketId").GetString()}");

        var message = json.RootElement.GetProperty("messages")[0];
        var attachments = message.GetProperty("attachments").EnumerateArray().ToList();
        Assert.Equal(["statement.pdf", "tool.exe"], attachments.Select(a => a.GetProperty("name").GetString()));
        Assert.Matches("^[0-9a-f]{16}/1-statement.pdf$", attachments[0].GetProperty("blob").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("%PDF-1.4 statement"u8)), attachments[0].GetProperty("sha256").GetString());
        Assert.Equal(("executable", JsonValueKind.Null), (attachments[1].GetProperty("refused").GetString(), attachments[1].GetProperty("blob").ValueKind));
        var metadata = message.GetProperty("metadata");
        Assert.Equal(("pass", "{@customer.example : pass}", "true", "spf,dkim"), (
            metadata.GetProperty("spf").GetString(), metadata.GetProperty("dkim").GetString(),
            metadata.GetProperty("senderVerified").GetString(), metadata.GetProperty("senderVerifiedBy").GetString()));
    }
}
