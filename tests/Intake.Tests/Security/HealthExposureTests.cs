using System.Net;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Intake.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: <c>GET /api/health</c> was anonymous, told anyone the depth of every ticket queue and poison queue (how busy
/// support is, whether deliveries are failing), and cost about nine storage calls a hit, so hammering it was a cheap way to
/// load our storage account. Anonymous liveness touches no storage; the detailed report needs an agent key.
/// </summary>
public sealed class HealthExposureTests(AzuriteFixture azurite)
{
    private const string OpsKey = "ops-key-for-health-0123456789abcdef";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Counts every request the storage clients make, and can make them all fail as an outage would.</summary>
    private sealed class StorageCalls : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public bool Down { get; set; }

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref _count);
            if (Down)
            {
                throw new RequestFailedException(503, "Storage is down (test).");
            }
        }
    }

    private Task<IntakeHost> StartAsync(StorageCalls calls) =>
        IntakeHost.StartAsync(
            azurite,
            new Dictionary<string, string> { ["Intake:ApiKeys:ops"] = OpsKey, ["Worker:Enabled"] = "false" },
            services: services =>
            {
                var tables = new TableClientOptions();
                tables.AddPolicy(calls, HttpPipelinePosition.PerCall);
                var queues = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
                queues.AddPolicy(calls, HttpPipelinePosition.PerCall);
                services.AddSingleton(new TableServiceClient(azurite.ConnectionString, tables));
                services.AddSingleton(new QueueServiceClient(azurite.ConnectionString, queues));
            });

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(HttpClient client, string path, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        using var response = await client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Anonymous_liveness_says_only_that_it_is_alive_and_touches_no_storage()
    {
        var calls = new StorageCalls();
        await using var host = await StartAsync(calls);
        using var client = host.CreateClient();
        var before = calls.Count;

        var (status, json) = await GetAsync(client, "/api/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, calls.Count - before);
        Assert.Equal(["status"], json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_detailed_report_needs_an_agent_key()
    {
        await using var host = await StartAsync(new StorageCalls());
        using var client = host.CreateClient();

        var (anonymous, body) = await GetAsync(client, "/api/health/details");
        var (wrong, _) = await GetAsync(client, "/api/health/details", "not-the-ops-key-0123456789abcdefgh");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.False(body.TryGetProperty("checks", out _));
    }

    [Fact]
    public async Task With_the_key_the_report_checks_storage_and_every_queue_and_answers_503_when_storage_is_down()
    {
        var calls = new StorageCalls();
        await using var host = await StartAsync(calls);
        using var client = host.CreateClient();

        var (healthy, report) = await GetAsync(client, "/api/health/details", OpsKey);
        calls.Down = true;
        var (down, failing) = await GetAsync(client, "/api/health/details", OpsKey);

        Assert.Equal(HttpStatusCode.OK, healthy);
        Assert.Equal("healthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("storage").GetProperty("status").GetString());
        var queues = checks.GetProperty("queues").GetProperty("data");
        Assert.Equal(0, queues.GetProperty("tickets-urgent").GetInt32());
        Assert.Equal(0, queues.GetProperty("tickets-low-poison").GetInt32());
        Assert.Equal(8, queues.EnumerateObject().Count());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal("unhealthy", failing.GetProperty("status").GetString());
        Assert.Equal("unhealthy", failing.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
    }
}
