using System.Net;
using System.Text.Json;
using Azure.Storage.Queues;
using Intake.Messaging;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Hosting;

/// <summary>Liveness for anyone, and the health report (the platform's health checks) for whoever holds an agent key.</summary>
public class HealthTests(AzuriteFixture azurite)
{
    private const string Key = "health-test-key-0123456789abcdef0123";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("x-api-key", Key);
        using var response = await client.SendAsync(request, Cancellation);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        return (response.StatusCode, body.RootElement.Clone());
    }

    [Fact]
    public async Task Liveness_answers_ok()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task The_report_checks_triage_storage_and_every_ticket_and_poison_queue()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Intake:ApiKeys:ops"] = Key });
        using var client = host.CreateClient();

        var (status, report) = await GetAsync(client, "/api/health/details");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal(["queues", "storage", "triage"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("healthy", c.Value.GetProperty("status").GetString()));
        Assert.Contains($"{TriageEngine.Default.RuleCount} rules", checks.GetProperty("triage").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            TicketQueues.ByPriority.SelectMany(u => new[] { TicketQueues.NameFor(u), TicketQueues.PoisonNameFor(u) }).Order(StringComparer.Ordinal),
            checks.GetProperty("queues").GetProperty("data").EnumerateObject().Select(q => q.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_message_in_a_poison_queue_makes_the_report_degraded_but_still_200()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Intake:ApiKeys:ops"] = Key, ["Worker:Enabled"] = "false" });
        using var client = host.CreateClient();
        var poison = new QueueClient(azurite.ConnectionString, $"{host.Prefix}-{TicketQueues.PoisonNameFor(Urgency.High)}");
        await poison.SendMessageAsync("{}", Cancellation);

        var (status, report) = await GetAsync(client, "/api/health/details");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", report.GetProperty("status").GetString());
        var queues = report.GetProperty("checks").GetProperty("queues");
        Assert.Equal("degraded", queues.GetProperty("status").GetString());
        Assert.Equal(1, queues.GetProperty("data").GetProperty("tickets-high-poison").GetInt32());
    }
}
