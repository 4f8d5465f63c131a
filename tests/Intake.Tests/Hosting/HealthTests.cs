using System.Net;
using System.Text.Json;
using Intake.Storage;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Intake.Tests.Hosting;

public class HealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_answers_ok_with_the_triage_rules_loaded()
    {
        // The shared Azurite, so that the server never starts its own on 10000-10002 during a test run.
        await using var factory = new WebApplicationFactory<Program>()
            .WithWebHostBuilder(host => host
                .UseSetting(DevelopmentStorageHosting.ConnectionName, azurite.ConnectionString)
                .UseSetting("Storage:Prefix", TestStorage.NewPrefix()));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ok", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("triage").GetProperty("rules").GetInt32() > 0);
        Assert.Equal("ok", body.RootElement.GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("queues").GetProperty("tickets-urgent").GetInt32());
        Assert.Equal(8, body.RootElement.GetProperty("queues").EnumerateObject().Count());
    }
}
