using System.Net;
using Intake.Storage;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Intake.Tests.Server;

/// <summary>The server exports over OTLP only when a collector is named, and serves the same either way.</summary>
public sealed class ServerTelemetryTests(AzuriteFixture azurite)
{
    private WebApplicationFactory<Program> Server(string? endpoint) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            host.UseSetting(StorageAccount.ConnectionSetting, azurite.ConnectionString)
                .UseSetting("Storage:Prefix", TestStorage.NewPrefix())
                .UseSetting("Worker:Enabled", "false");
            if (endpoint is not null)
            {
                host.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
            }
        });

    [Theory]
    [InlineData(null, false)]
    [InlineData("http://127.0.0.1:4317", true)]
    public async Task Traces_and_metrics_are_exported_only_to_a_named_collector(string? endpoint, bool exported)
    {
        await using var factory = Server(endpoint);
        using var client = factory.CreateClient();

        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(exported, factory.Services.GetService<TracerProvider>() is not null);
        Assert.Equal(exported, factory.Services.GetService<MeterProvider>() is not null);
    }
}
