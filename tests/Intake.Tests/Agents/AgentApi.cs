using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;

namespace Intake.Tests.Agents;

/// <summary>An answer of the agent API: status, body (problem or ticket) and the ETag header.</summary>
internal sealed record AgentResponse(HttpStatusCode Status, JsonElement Json, string? ETag, string? ContentType)
{
    public IEnumerable<JsonElement> Events => Json.GetProperty("events").EnumerateArray();

    public IEnumerable<JsonElement> Messages => Json.GetProperty("messages").EnumerateArray();

    public IEnumerable<JsonElement> Outbound => Json.GetProperty("outbound").EnumerateArray();

    public string? String(string name) => Json.TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>
/// Calls to the agent API with the key, and the web form to make tickets with. Every agent the tests name has a key of
/// their own (<c>Intake:ApiKeys:&lt;agent&gt;</c>); a call sends the key of the agent its body names, else Mei's.
/// </summary>
internal static class AgentApi
{
    public const string Agent = "Mei";

    /// <summary>Mei's key.</summary>
    public const string ApiKey = "mei-agent-key-0123456789abcdef01234";

    /// <summary>Stands for "the key of the agent the body names" as <see cref="SendAsync"/>'s key.</summary>
    public const string KeyOfBodyAgent = "\0the body's agent";

    /// <summary>The agents the tests act as.</summary>
    public static IReadOnlyList<string> Agents { get; } = ["Mei", "Mei Lin", "Sam", "Ana", "Dee", "Bo", "Cy", .. Enumerable.Range(0, 20).Select(i => $"agent-{i}")];

    public static string KeyOf(string agent) =>
        agent == Agent ? ApiKey : "key-of-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(agent)))[..32];

    public static Dictionary<string, string> Settings(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["WebForm:SubmissionsPerWindow"] = "1000", ["WebForm:SubmissionsPerAddress"] = "1000" };
        foreach (var agent in Agents)
        {
            settings[$"Intake:ApiKeys:{agent}"] = KeyOf(agent);
        }

        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static async Task<AgentResponse> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null, string? ifMatch = null, string? key = KeyOfBodyAgent)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (key == KeyOfBodyAgent)
        {
            key = BodyAgent(body) is { } named && Agents.Contains(named) ? KeyOf(named) : ApiKey;
        }

        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return new AgentResponse(response.StatusCode, document.RootElement.Clone(), response.Headers.ETag?.ToString(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The agent a body names, if it is a JSON object with a string <c>agent</c>.</summary>
    private static string? BodyAgent(object? body)
    {
        try
        {
            if (body is string raw)
            {
                using var document = JsonDocument.Parse(raw);
                return Named(document.RootElement);
            }

            return body is null ? null : Named(JsonSerializer.SerializeToElement(body));
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Named(JsonElement json) =>
            json.ValueKind == JsonValueKind.Object && json.TryGetProperty("agent", out var agent) && agent.ValueKind == JsonValueKind.String ? agent.GetString() : null;
    }

    public static Task<AgentResponse> GetAsync(HttpClient client, string id) => SendAsync(client, HttpMethod.Get, $"/api/tickets/{id}");

    public static Task<AgentResponse> ReplyAsync(HttpClient client, string id, string text, string agent = Agent, string? ifMatch = null) =>
        SendAsync(client, HttpMethod.Post, $"/api/tickets/{id}/replies", new { text, agent }, ifMatch);

    public static Task<AgentResponse> ResolveAsync(HttpClient client, string id, string agent = Agent, string? ifMatch = null) =>
        SendAsync(client, HttpMethod.Post, $"/api/tickets/{id}/resolve", new { agent }, ifMatch);

    public static Task<AgentResponse> ReopenAsync(HttpClient client, string id, string agent = Agent, string? ifMatch = null) =>
        SendAsync(client, HttpMethod.Post, $"/api/tickets/{id}/reopen", new { agent }, ifMatch);

    public static Task<AgentResponse> PatchAsync(HttpClient client, string id, object body, string? ifMatch = null) =>
        SendAsync(client, HttpMethod.Patch, $"/api/tickets/{id}", body, ifMatch);

    public static async Task<WebFormAccepted> SubmitAsync(HttpClient client, string message, string email = "customer@example.com", string? reference = null)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message, email, reference }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(Cancellation))!;
    }

    /// <summary>A follow-up by reference and address: answered 202 with nothing of the ticket, whatever it matched.</summary>
    public static async Task FollowUpAsync(HttpClient client, string message, string email, string reference)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), new { message, email, reference }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    /// <summary>Waits until the ticket's outbound record of this kind is no longer pending, and returns the ticket.</summary>
    public static Task<AgentResponse> WaitForOutboundAsync(HttpClient client, string id, string kind, int count = 1) =>
        IntakeHost.WaitForAsync(
            async () =>
            {
                var ticket = await GetAsync(client, id);
                var done = ticket.Outbound.Count(o => o.GetProperty("kind").GetString() == kind && o.GetProperty("status").GetString() != "pending");
                return done >= count ? ticket : null;
            },
            $"{count} {kind} marked");
}
