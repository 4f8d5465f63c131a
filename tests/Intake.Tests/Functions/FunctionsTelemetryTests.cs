using System.IO.Compression;
using System.Text;
using Intake.Functions;
using Intake.Telemetry;
using Intake.Tests.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Intake.Tests.Functions;

/// <summary>
/// The Functions worker's traces and metrics: Intake's spans and counters reach Azure Monitor (a fake ingestion endpoint
/// here, named by the connection string as Azure names the real one) when the app has an Application Insights resource,
/// and nothing is set up when it has none.
/// </summary>
public sealed class FunctionsTelemetryTests
{
    /// <summary>Azure Monitor's ingestion endpoint: takes the exporter's gzipped JSON lines and answers as the service does.</summary>
    private sealed class FakeIngestion : RecordingFake<string>
    {
        protected override async Task HandleAsync(HttpContext context)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            body.Position = 0;
            var text = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                ? await new StreamReader(new GZipStream(body, CompressionMode.Decompress), Encoding.UTF8).ReadToEndAsync()
                : Encoding.UTF8.GetString(body.ToArray());
            Record(text);
            var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"itemsReceived":{{items}},"itemsAccepted":{{items}},"errors":[]}""");
        }
    }

    [Fact]
    public async Task Intakes_spans_and_counters_reach_azure_monitor_when_the_app_has_a_connection_string()
    {
        await using var ingestion = new FakeIngestion();
        await ingestion.StartAsync(TestContext.Current.CancellationToken);
        using var host = Composed(new()
        {
            [FunctionsComposition.AzureMonitorConnectionSetting] = $"InstrumentationKey=00000000-0000-0000-0000-000000000017;IngestionEndpoint={ingestion.BaseUrl}",
        });
        var traces = host.Services.GetRequiredService<TracerProvider>();
        var metrics = host.Services.GetRequiredService<MeterProvider>();

        // Every trace is kept, not a sample: ten in a row all arrive.
        for (var i = 0; i < 10; i++)
        {
            using var activity = IntakeTelemetry.Source.StartActivity("intake.accept");
            activity?.SetTag("intake.channel", "telegram");
        }

        IntakeTelemetry.Outbound.Add(1, new("kind", "acknowledgement"), new("channel", "telegram"), new("status", "sent"));
        Assert.True(traces.ForceFlush(10_000));
        Assert.True(metrics.ForceFlush(10_000));

        var sent = string.Join('\n', ingestion.Requests);
        Assert.Equal(10, sent.Split("\"name\":\"intake.accept\"").Length - 1);
        Assert.Contains("intake.outbound", sent, StringComparison.Ordinal);
        Assert.Contains("00000000-0000-0000-0000-000000000017", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_connection_string_or_a_collector_no_provider_is_set_up()
    {
        using var host = Composed([]);

        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    /// <summary>The Functions app composed as Main composes it, with <paramref name="settings"/>; nothing connects until it starts.</summary>
    private static IHost Composed(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["ServiceBusConnection"] = "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
        });
        builder.AddIntakeFunctions();
        return builder.Build();
    }
}
