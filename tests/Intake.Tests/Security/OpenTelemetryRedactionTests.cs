using System.Collections.Concurrent;
using System.Diagnostics;
using Intake.Storage;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: with OpenTelemetry on (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), every request becomes a span exported to a
/// collector that more people read than the tickets: a survey or status link's token in the query, or a bot token in an
/// outgoing URL, would be kept there. The server leaves the query out of its request spans and traces no outgoing HTTP.
/// (That Intake's own spans and counters carry no customer text or address: <c>Telemetry/IntakeTelemetryTests</c>.)
/// </summary>
public sealed class OpenTelemetryRedactionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_link_token_in_the_query_is_in_no_exported_span()
    {
        const string Token = "01KAR7M3ZQ5V8X2N4P6RW7K2QX.1764900000.4.c2lnbmF0dXJlLXByb2Jl";
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting(StorageAccount.ConnectionSetting, azurite.ConnectionString)
            .UseSetting("Storage:Prefix", TestStorage.NewPrefix())
            .UseSetting("Worker:Enabled", "false")
            .UseSetting("Intake:SigningKey", "test-signing-key-of-at-least-32-characters")
            .UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"));
        using var client = factory.CreateClient();

        using var survey = await client.GetAsync(new Uri("/api/surveys?token=" + Token, UriKind.Relative), TestContext.Current.CancellationToken);
        using var status = await client.GetAsync(new Uri("/support/status/T-W7K2QX?token=" + Token, UriKind.Relative), TestContext.Current.CancellationToken);
        var request = await IntakeHost.WaitForAsync(
            () => Task.FromResult(spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.TagObjects.Any(t => Equals(t.Value, "/support/status/T-W7K2QX")))),
            "the status page's request span");

        Assert.Null(request.GetTagItem("url.query"));
        Assert.DoesNotContain(
            spans.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString() ?? "").Append(s.DisplayName)),
            value => value.Contains(Token, StringComparison.Ordinal));
    }
}
